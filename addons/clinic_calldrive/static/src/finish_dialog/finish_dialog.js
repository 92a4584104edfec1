import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";

/**
 * "Finish processing" (C3): a result status and a comment. Whether the comment is
 * required comes from the server per result (C7, C15); the dialog applies the same
 * rule as the server (a blank comment counts as none) before it asks.
 */
export class FinishDialog extends Component {
    static template = "clinic_calldrive.FinishDialog";
    static components = { Dialog };
    static props = {
        patientName: String,
        results: {
            type: Array,
            element: {
                type: Object,
                shape: { id: Number, name: String, is_success: Boolean, comment_required: Boolean },
            },
        },
        onConfirm: Function,
        close: Function,
    };

    setup() {
        this.state = useState({ resultId: false, comment: "", error: "" });
    }

    get title() {
        return _t("Finish processing: %(patient)s", { patient: this.props.patientName });
    }

    get selected() {
        return this.props.results.find((r) => r.id === this.state.resultId);
    }

    /** Before a result is picked, a comment is required when every result needs one. */
    get commentRequired() {
        if (this.selected) {
            return this.selected.comment_required;
        }
        const { results } = this.props;
        return results.length > 0 && results.every((r) => r.comment_required);
    }

    get commentLabel() {
        return this.commentRequired ? _t("Comment (required)") : _t("Comment (optional)");
    }

    async confirm() {
        if (!this.selected) {
            this.state.error = _t("Pick a result status.");
            return;
        }
        if (this.selected.comment_required && !this.state.comment.trim()) {
            this.state.error = _t("A comment is required for the result %(result)s.", {
                result: this.selected.name,
            });
            return;
        }
        await this.props.onConfirm(this.selected.id, this.state.comment);
        this.props.close();
    }
}
