import { patch } from "@web/core/utils/patch";
import { useService } from "@web/core/utils/hooks";
import { onWillUnmount } from "@odoo/owl";
import { CallDriveOperator } from "@clinic_calldrive/operator/operator_action";

const COLOUR_NOTIFICATION = "clinic_reminder/colour";
// Row filters of reminder lists and the payload key listing the rows each keeps.
const LIVE_FILTERS = ["needs_call", "replied"];

/**
 * C5/C6/C12 on the call drive's operator screen: reminder rows show their status
 * colour, live; a double-click marks a row as handled (pink) or unmarks it; the
 * "Replied" filter shows how many replies wait to be read.
 */
patch(CallDriveOperator.prototype, {
    setup() {
        super.setup(...arguments);
        this.busService = useService("bus_service");
        this.reminderHandled = useService("clinic_reminder_handled");
        // The call drive already joined the selected list's channel (watchList).
        const onColour = (payload) => this.onReminderColour(payload);
        this.busService.subscribe(COLOUR_NOTIFICATION, onColour);
        onWillUnmount(() => this.busService.unsubscribe(COLOUR_NOTIFICATION, onColour));
    },

    rowClass(row) {
        const classes = super.rowClass(row);
        if (row.reminder_colour) {
            classes[`o_clinic_reminder_row o_clinic_reminder_${row.reminder_colour}`] = true;
        }
        return classes;
    },

    onReminderColour(payload) {
        const { list_id, lines, replied_count } = payload;
        if (list_id !== this.state.listId) {
            return;
        }
        for (const [lineId, colour] of lines) {
            const row = this.state.rows.find((r) => r.id === lineId);
            if (row) {
                row.reminder_colour = colour;
            }
        }
        const replied = this.currentList?.row_filters.find((f) => f.name === "replied");
        if (replied && replied_count !== undefined) {
            replied.count = replied_count;
        }
        const lineIds = lines.map(([lineId]) => lineId);
        for (const name of LIVE_FILTERS) {
            if (this.state.rowFilters[name] && payload[name]) {
                this.applyLiveFilter(lineIds, new Set(payload[name]));
            }
        }
    },

    /**
     * A filter on (C6, C12): rows the server no longer counts leave the screen,
     * rows it counts again come back with a reload.
     */
    applyLiveFilter(lineIds, kept) {
        this.state.rows = this.state.rows.filter(
            (row) => !lineIds.includes(row.id) || kept.has(row.id)
        );
        if (lineIds.some((id) => kept.has(id) && !this.state.rows.some((r) => r.id === id))) {
            this.reloadRows();
        }
    },

    async toggleReminderHandled(row) {
        if (!row.reminder_colour) {
            return;
        }
        const payload = await this.reminderHandled.toggle([row.id]);
        if (payload) {
            this.onReminderColour(payload);
        }
    },
});
