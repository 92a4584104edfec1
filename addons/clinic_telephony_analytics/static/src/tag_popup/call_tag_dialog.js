import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { Dialog } from "@web/core/dialog/dialog";
import { useService } from "@web/core/utils/hooks";

/** A dialog that Escape cannot dismiss: it closes only through its own buttons. */
class MandatoryDialog extends Dialog {
    onEscape() {}
}

/**
 * Post-call tag popup (T9): the administrator picks at least one tag, or
 * "Other tag" with a comment, and saves. There is no way to close it before
 * the server accepted the tags.
 */
export class CallTagDialog extends Component {
    static template = "clinic_telephony_analytics.CallTagDialog";
    static components = { MandatoryDialog };
    static props = {
        close: Function,
        prompt: {
            type: Object,
            shape: {
                call_id: Number,
                number: String,
                groups: {
                    type: Array,
                    element: {
                        type: Object,
                        shape: {
                            id: Number,
                            name: String,
                            tags: {
                                type: Array,
                                element: { type: Object, shape: { id: Number, name: String } },
                            },
                        },
                    },
                },
            },
        },
    };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ tagIds: new Set(), other: false, comment: "", saving: false });
    }

    get title() {
        return this.props.prompt.number
            ? _t("How did the call with %(number)s go?", { number: this.props.prompt.number })
            : _t("How did the call go?");
    }

    get canSave() {
        const otherOk = this.state.other && this.state.comment.trim();
        return !this.state.saving && (this.state.tagIds.size > 0 || Boolean(otherOk));
    }

    toggleTag(tagId) {
        if (this.state.tagIds.has(tagId)) {
            this.state.tagIds.delete(tagId);
        } else {
            this.state.tagIds.add(tagId);
        }
    }

    async save() {
        if (!this.canSave) {
            return;
        }
        this.state.saving = true;
        try {
            await this.orm.call("clinic.call", "save_tags", [
                [this.props.prompt.call_id],
                [...this.state.tagIds],
                this.state.other ? this.state.comment : null,
            ]);
        } finally {
            this.state.saving = false;
        }
        this.props.close();
    }
}
