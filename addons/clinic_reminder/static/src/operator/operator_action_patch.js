import { patch } from "@web/core/utils/patch";
import { useService } from "@web/core/utils/hooks";
import { onWillUnmount } from "@odoo/owl";
import { CallDriveOperator } from "@clinic_calldrive/operator/operator_action";

const COLOUR_NOTIFICATION = "clinic_reminder/colour";
const NEEDS_CALL_FILTER = "needs_call";

/**
 * C5/C6 on the call drive's operator screen: reminder rows show their status
 * colour, live; a double-click marks a row as handled (pink) or unmarks it.
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

    onReminderColour({ list_id, lines, needs_call }) {
        if (list_id !== this.state.listId) {
            return;
        }
        for (const [lineId, colour] of lines) {
            const row = this.state.rows.find((r) => r.id === lineId);
            if (row) {
                row.reminder_colour = colour;
            }
        }
        if (this.state.rowFilters[NEEDS_CALL_FILTER]) {
            this.applyNeedsCall(
                lines.map(([lineId]) => lineId),
                new Set(needs_call)
            );
        }
    },

    /**
     * "Needs a call" filter on (C6): rows the server no longer counts leave the
     * screen, rows it counts again come back with a reload.
     */
    applyNeedsCall(lineIds, needsCall) {
        this.state.rows = this.state.rows.filter(
            (row) => !lineIds.includes(row.id) || needsCall.has(row.id)
        );
        if (lineIds.some((id) => needsCall.has(id) && !this.state.rows.some((r) => r.id === id))) {
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
