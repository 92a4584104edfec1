import { Component, useState } from "@odoo/owl";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";

const { DateTime } = luxon;

/**
 * The telephony control at the bottom of every screen (T1, T10): the shift's
 * phone (opens the shift dialog), the question "which phone?" while today's
 * answer is missing, the paused state with who paused when, and for managers
 * the pause and resume button.
 */
export class ShiftControl extends Component {
    static template = "clinic_telephony.ShiftControl";
    static props = {};

    setup() {
        this.telephony = useState(useService("clinic_telephony"));
    }

    get label() {
        const { enabled, needsShiftChoice, paused, phone } = this.telephony.state;
        if (paused) {
            return _t("Telephony paused");
        }
        if (!enabled) {
            return _t("Telephony on");
        }
        if (needsShiftChoice) {
            return _t("Choose your phone");
        }
        if (!phone) {
            return _t("No telephony");
        }
        return phone.extension ? `${phone.name} (${phone.extension})` : phone.name;
    }

    /** "by Sabine Hoffmann since 10:15" under the paused control (T10). */
    get pausedInfo() {
        const { paused, pausedBy, pausedSince } = this.telephony.state;
        if (!paused || !(pausedBy || pausedSince)) {
            return "";
        }
        let since = "";
        if (pausedSince) {
            const moment = deserializeDateTime(pausedSince);
            since = moment.hasSame(DateTime.now(), "day")
                ? moment.toLocaleString(DateTime.TIME_SIMPLE)
                : moment.toLocaleString(DateTime.DATETIME_SHORT);
        }
        if (pausedBy && since) {
            return _t("by %(name)s since %(since)s", { name: pausedBy, since });
        }
        return pausedBy ? _t("by %(name)s", { name: pausedBy }) : _t("since %(since)s", { since });
    }
}
