import { Component, useState } from "@odoo/owl";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";

/**
 * @typedef {Object} CallCardPayload the server's card payload (see clinic.call)
 * @property {number} id
 * @property {"ringing"|"talking"|"ended"|"failed"} state
 * @property {"incoming"|"outgoing"|"missed"|"outgoing_unanswered"} call_type
 * @property {"inbound"|"outbound"} direction
 * @property {string|false} number display form, false when hidden
 * @property {boolean} hidden_number
 * @property {{id: number, name: string, birthdate: string|false}|false} partner
 * @property {{id: number, name: string, birthdate: string|false}[]} candidates
 * @property {boolean} unknown_patient
 * @property {boolean} lost closed after the PBX's time limit (T14)
 * @property {string|false} failure why the PBX refused a click-to-call (T12)
 * @property {boolean} can_hang_up a click-to-call that has not connected yet
 */

const LOOKS = {
    incoming: { label: _t("Incoming call"), className: "o_clinic_call_ringing", icon: "fa-phone" },
    outgoing: {
        label: _t("Outgoing call"),
        className: "o_clinic_call_outgoing",
        icon: "fa-phone",
    },
    talking: { label: _t("Talking"), className: "o_clinic_call_talking", icon: "fa-phone" },
    missed: { label: _t("Missed call"), className: "o_clinic_call_missed", icon: "fa-phone" },
    outgoing_unanswered: {
        label: _t("No answer"),
        className: "o_clinic_call_unanswered",
        icon: "fa-phone",
    },
    completed: {
        label: _t("Call ended"),
        className: "o_clinic_call_completed",
        icon: "fa-check",
    },
    failed: { label: _t("Call failed"), className: "o_clinic_call_failed", icon: "fa-warning" },
};

const UNANSWERED_TYPES = ["missed", "outgoing_unanswered"];

/** One live call, bottom-left of every screen (T4). */
export class CallCard extends Component {
    static template = "clinic_telephony.CallCard";
    static props = {
        call: { type: Object },
        waitingCount: { type: Number, optional: true },
    };
    static defaultProps = { waitingCount: 0 };

    setup() {
        this.telephony = useState(useService("clinic_telephony"));
    }

    get call() {
        return this.props.call;
    }

    get look() {
        const call = this.call;
        if (call.state === "ringing") {
            return LOOKS[call.direction === "outbound" ? "outgoing" : "incoming"];
        }
        if (call.state === "talking" || call.state === "failed") {
            return LOOKS[call.state];
        }
        // Ended: the server derived whether it was missed or unanswered.
        return LOOKS[UNANSWERED_TYPES.includes(call.call_type) ? call.call_type : "completed"];
    }

    get isTalking() {
        return this.call.state === "talking";
    }

    get isFinished() {
        return ["ended", "failed"].includes(this.call.state);
    }

    get waitingLabel() {
        return _t("%(count)s more on the line", { count: this.props.waitingCount });
    }

    formatBirthdate(birthdate) {
        return birthdate ? formatDate(deserializeDate(birthdate)) : "";
    }

    onChoosePatient(ev) {
        const partnerId = parseInt(ev.target.value);
        if (partnerId) {
            this.telephony.choosePatient(this.call.id, partnerId);
        }
    }
}
