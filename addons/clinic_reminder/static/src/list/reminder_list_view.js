import { onWillUnmount, useEffect } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { listView } from "@web/views/list/list_view";
import { ListController } from "@web/views/list/list_controller";
import { ListRenderer } from "@web/views/list/list_renderer";

const COLOUR_NOTIFICATION = "clinic_reminder/colour";

/**
 * C5/C6 reminder list: each row is coloured by its status; a double-click
 * marks the row as handled by hand (pink) and a second one unmarks it. The
 * server decides the colour; the list only asks and reloads.
 */
export class ReminderListRenderer extends ListRenderer {
    setup() {
        super.setup();
        this.reminderHandled = useService("clinic_reminder_handled");
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
    async onCellClicked() {}

    async onRowDoubleClick(ev) {
        const row = ev.target.closest("tr.o_data_row");
        const record = row && this.props.list.records.find((r) => r.id === row.dataset.id);
        if (record && (await this.reminderHandled.toggle([record.resId]))) {
            await this.props.list.model.load();
        }
    }
}

/**
 * Live colours and states: the list joins the channels of the call lists it
 * shows through the call drive's service (which counts who watches a list, so
 * leaving this view never cuts another screen off the channel).
 */
export class ReminderListController extends ListController {
    setup() {
        super.setup();
        this.busService = useService("bus_service");
        this.callDrive = useService("clinic_calldrive");
        this.unwatchers = new Map();
        const onColour = (payload) => this.onColourNotification(payload);
        this.busService.subscribe(COLOUR_NOTIFICATION, onColour);
        useEffect(
            () => this.watchShownLists(),
            () => [this.model.root.records.length]
        );
        onWillUnmount(() => {
            this.busService.unsubscribe(COLOUR_NOTIFICATION, onColour);
            for (const unwatch of this.unwatchers.values()) {
                unwatch();
            }
            this.unwatchers.clear();
        });
    }

    watchShownLists() {
        for (const record of this.model.root.records) {
            const listId = record.data.list_id?.id;
            if (listId && !this.unwatchers.has(listId)) {
                const unwatch = this.callDrive.watchList(listId, (payload) =>
                    this.onLockChange(payload)
                );
                this.unwatchers.set(listId, unwatch);
            }
        }
    }

    isShown(lineId) {
        return this.model.root.records.some((r) => r.resId === lineId);
    }

    /** A row shown here was finished or cancelled elsewhere: show its new state. */
    async onLockChange({ line_id, state }) {
        const record = this.model.root.records.find((r) => r.resId === line_id);
        if (record && record.data.state !== state) {
            await this.model.load();
        }
    }

    async onColourNotification({ lines }) {
        if (lines.some(([lineId]) => this.isShown(lineId))) {
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
