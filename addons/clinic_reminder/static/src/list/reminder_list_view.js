import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { listView } from "@web/views/list/list_view";
import { ListController } from "@web/views/list/list_controller";
import { ListRenderer } from "@web/views/list/list_renderer";
import { onWillUnmount, useEffect } from "@odoo/owl";

const COLOUR_NOTIFICATION = "clinic_reminder/colour";

/**
 * C5/C6 reminder list: each row is coloured by its status; a double-click
 * marks the row as handled by hand (pink) and a second one unmarks it. The
 * server decides the colour; the list only asks and reloads.
 */
export class ReminderListRenderer extends ListRenderer {
    setup() {
        super.setup();
        this.orm = useService("orm");
        this.notification = useService("notification");
        useEffect(
            (el) => {
                const onDblClick = (ev) => this.onRowDoubleClick(ev);
                el.addEventListener("dblclick", onDblClick);
                return () => el.removeEventListener("dblclick", onDblClick);
            },
            () => [this.rootRef.el]
        );
    }

    getRowClass(record) {
        const colour = record.data.reminder_colour || "grey";
        return `${super.getRowClass(record)} o_clinic_reminder_row o_clinic_reminder_${colour}`;
    }

    /** A click only selects: opening the row would get in the way of the double-click. */
    async onCellClicked(record, column, ev) {}

    async onRowDoubleClick(ev) {
        const row = ev.target.closest("tr.o_data_row");
        const record = row && this.props.list.records.find((r) => r.id === row.dataset.id);
        if (!record) {
            return;
        }
        try {
            await this.orm.call("clinic.call.list.line", "action_reminder_toggle_handled", [
                [record.resId],
            ]);
        } catch {
            this.notification.add(_t("This row cannot be marked."), { type: "danger" });
            return;
        }
        await this.props.list.model.load();
    }
}

export class ReminderListController extends ListController {
    setup() {
        super.setup();
        this.busService = useService("bus_service");
        this.channels = new Set();
        this.onColour = (payload) => this.onColourNotification(payload);
        this.busService.subscribe(COLOUR_NOTIFICATION, this.onColour);
        // The server only lets operators who may read a list join its channel.
        useEffect(
            () => {
                for (const record of this.model.root.records) {
                    const listId = record.data.list_id && record.data.list_id.id;
                    const channel = listId && `clinic.call.list_${listId}`;
                    if (channel && !this.channels.has(channel)) {
                        this.channels.add(channel);
                        this.busService.addChannel(channel);
                    }
                }
            },
            () => [this.model.root.records.length]
        );
        onWillUnmount(() => {
            this.busService.unsubscribe(COLOUR_NOTIFICATION, this.onColour);
            for (const channel of this.channels) {
                this.busService.deleteChannel(channel);
            }
        });
    }

    async onColourNotification({ lines }) {
        const shown = new Set(this.model.root.records.map((r) => r.resId));
        if (lines.some(([lineId]) => shown.has(lineId))) {
            await this.model.load();
        }
    }
}

export const reminderListView = {
    ...listView,
    Controller: ReminderListController,
    Renderer: ReminderListRenderer,
};

registry.category("views").add("clinic_reminder_list", reminderListView);
