import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { CallCard } from "@clinic_telephony/components/call_card/call_card";
import { FailureBanner } from "@clinic_telephony/components/failure_banner/failure_banner";
import { ShiftControl } from "@clinic_telephony/components/shift_control/shift_control";

/**
 * Everything telephony puts on every screen of the web client: the call
 * cards and the shift control bottom-left, the failure banner on top.
 */
export class TelephonyOverlay extends Component {
    static template = "clinic_telephony.TelephonyOverlay";
    static components = { CallCard, FailureBanner, ShiftControl };
    static props = {};

    setup() {
        this.telephony = useState(useService("clinic_telephony"));
    }

    get takenNoticeText() {
        const { by, phone } = this.telephony.state.takenNotice;
        return _t("%(by)s took over the phone %(phone)s. You no longer receive its calls.", {
            by,
            phone,
        });
    }
}
