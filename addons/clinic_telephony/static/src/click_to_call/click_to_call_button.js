import { Component, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";

/** Phone icon that asks the PBX to call a number (T5); shown to telephony users only. */
export class ClickToCallButton extends Component {
    static template = "clinic_telephony.ClickToCallButton";
    static props = {
        number: String,
        partnerId: { type: [Number, Boolean], optional: true },
    };
    static defaultProps = { partnerId: false };

    setup() {
        this.telephony = useState(useService("clinic_telephony"));
    }

    onClick() {
        return this.telephony.dial(this.props.number, this.props.partnerId);
    }
}
