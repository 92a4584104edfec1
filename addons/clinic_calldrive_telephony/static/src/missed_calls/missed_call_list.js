import { onWillUnmount } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

export const MISSED_CALL_NOTIFICATION = "clinic_calldrive_telephony/missed";

/**
 * The "Missed calls" list (T16) reloads whenever the server says a row opened, got
 * one more miss or was called back, on whichever screen it is open: rows come and go
 * by themselves. The server pushes on the user's own channel; no polling.
 */
export class MissedCallListController extends ListController {
    setup() {
        super.setup();
        const bus = useService("bus_service");
        const reload = () => this.model.load();
        bus.subscribe(MISSED_CALL_NOTIFICATION, reload);
        onWillUnmount(() => bus.unsubscribe(MISSED_CALL_NOTIFICATION, reload));
    }
}

registry.category("views").add("clinic_missed_call_list", {
    ...listView,
    Controller: MissedCallListController,
});
