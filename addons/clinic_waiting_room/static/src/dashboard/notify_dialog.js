import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { useService } from "@web/core/utils/hooks";

/**
 * W2/W3: write to one caller (with the conversation so far) or to every caller
 * displayed (``roomId`` + ``statusFilter``: the server recomputes that set).
 */
export class NotifyDialog extends Component {
    static template = "clinic_waiting_room.NotifyDialog";
    static components = { Dialog };
    static props = {
        title: String,
        entryId: { type: Number, optional: true },
        roomId: { type: Number, optional: true },
        statusFilter: { type: String, optional: true },
        recipientCount: { type: Number, optional: true },
        close: Function,
    };

    setup() {
        this.orm = useService("orm");
        this.bus = useService("bus_service");
        this.state = useState({ body: "", messages: [], sending: false });
        this.onEntries = (entries) => {
            if (entries.some((entry) => entry.id === this.props.entryId)) {
                this.loadConversation();
            }
        };
        onWillStart(() => this.loadConversation());
        if (this.props.entryId) {
            this.bus.subscribe("clinic_waiting_room/entries", this.onEntries);
            onWillUnmount(() =>
                this.bus.unsubscribe("clinic_waiting_room/entries", this.onEntries)
            );
        }
    }

    async loadConversation() {
        if (this.props.entryId) {
            this.state.messages = await this.orm.call("clinic.waiting.entry", "get_conversation", [
                [this.props.entryId],
            ]);
        }
    }

    async send() {
        const body = this.state.body.trim();
        if (!body || this.state.sending) {
            return;
        }
        this.state.sending = true;
        try {
            if (this.props.entryId) {
                await this.orm.call("clinic.waiting.entry", "action_notify", [
                    [this.props.entryId],
                    body,
                ]);
                this.state.body = "";
                await this.loadConversation();
            } else {
                await this.orm.call(
                    "clinic.waiting.room",
                    "action_notify_all",
                    [[this.props.roomId], body],
                    { status: this.props.statusFilter || false }
                );
                this.props.close();
            }
        } finally {
            this.state.sending = false;
        }
    }
}
