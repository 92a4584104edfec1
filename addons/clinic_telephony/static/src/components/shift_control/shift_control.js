import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";

/** The bottom-of-screen control showing the shift's phone; opens the shift dialog (T1, T10). */
export class ShiftControl extends Component {
    static template = "clinic_telephony.ShiftControl";
    static props = {};

    setup() {
        this.telephony = useState(useService("clinic_telephony"));
    }

    get label() {
        const { paused, phone } = this.telephony.state;
        if (paused) {
            return _t("Telephony paused");
        }
        if (!phone) {
            return _t("No telephony");
        }
        return phone.extension ? `${phone.name} (${phone.extension})` : phone.name;
    }
}
