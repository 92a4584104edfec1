import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";

const NOTHING_CHOSEN = null;

/**
 * "Which phone do you work at this shift?" (T1), shown on the first login of
 * the day and from the control at the bottom of the screen.
 */
export class ShiftDialog extends Component {
    static template = "clinic_telephony.ShiftDialog";
    static components = { Dialog };
    static props = {
        close: Function,
        phones: {
            type: Array,
            element: {
                type: Object,
                shape: {
                    id: Number,
                    name: String,
                    extension: { type: [String, Boolean], optional: true },
                    holder: { type: [Object, Boolean], optional: true },
                },
            },
        },
        currentPhoneId: { type: [Number, Boolean] },
        singlePhone: { type: Boolean, optional: true },
        choosePhone: Function,
        /** The user closed the dialog without answering (× or Escape). */
        onDismiss: { type: Function, optional: true },
    };

    setup() {
        if (this.props.onDismiss) {
            this.env.dialogData.dismiss = this.props.onDismiss;
        }
        this.state = useState({
            selected: this.props.currentPhoneId || NOTHING_CHOSEN,
            saving: false,
        });
    }

    isHeldByColleague(phone) {
        return Boolean(phone.holder) && phone.id !== this.props.currentPhoneId;
    }

    holderLabel(phone) {
        return _t("In use by %(name)s", { name: phone.holder.name });
    }

    get canSave() {
        return this.state.selected !== NOTHING_CHOSEN && !this.state.saving;
    }

    async save() {
        this.state.saving = true;
        try {
            if (await this.props.choosePhone(this.state.selected)) {
                this.props.close();
            }
        } finally {
            this.state.saving = false;
        }
    }
}
