import { Component } from "@odoo/owl";

/** The red banner at the top of the screen when a call could not be made (T5). */
export class FailureBanner extends Component {
    static template = "clinic_telephony.FailureBanner";
    static props = {
        message: String,
        onClose: Function,
    };
}
