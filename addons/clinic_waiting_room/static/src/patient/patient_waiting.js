import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { beep } from "@clinic_waiting_room/common/beep";

/**
 * The patient's waiting screen (W4, W6, W7): status, the clinic's messages arriving
 * live on the patient's own guest bus channel, and - when the clinic allows it - a
 * box to write back. Every text is rendered with t-esc (R3).
 */
export class PatientWaiting extends Component {
    static template = "clinic_waiting_room.PatientWaiting";
    static props = { token: String };

    setup() {
        this.bus = useService("bus_service");
        this.state = useState({
            status: "waiting",
            clinic: "",
            patient: "",
            messages: [],
            canWrite: false,
            videoUrl: false,
            draft: "",
            unread: 0,
            error: "",
            sending: false,
        });
        this.onUpdate = (payload) => this.applyUpdate(payload, true);
        onWillStart(async () => {
            const data = await rpc(`/clinic/wait/${encodeURIComponent(this.props.token)}/data`);
            this.state.clinic = data.clinic;
            this.state.patient = data.patient;
            this.state.messages = data.messages;
            this.applyUpdate(data, false);
        });
        this.bus.subscribe("clinic_waiting_room/update", this.onUpdate);
        this.bus.start();
        onWillUnmount(() => this.bus.unsubscribe("clinic_waiting_room/update", this.onUpdate));
    }

    get statusLabel() {
        return {
            waiting: _t("Please wait, you will be called in shortly."),
            in_consultation: _t("Your consultation is starting."),
            on_hold: _t("You are on hold. Please stay on this page."),
            finished: _t("Your visit is over. Thank you!"),
        }[this.state.status];
    }

    applyUpdate(payload, live) {
        this.state.status = payload.state;
        this.state.canWrite = payload.can_write;
        this.state.videoUrl = payload.video_url;
        const message = payload.message;
        if (message && !this.state.messages.some((m) => m.id === message.id)) {
            this.state.messages.push(message);
            if (live && message.from === "clinic") {
                this.state.unread++;
                beep();
                navigator.vibrate?.(200);
            }
        }
    }

    acknowledge() {
        this.state.unread = 0;
    }

    async send() {
        const body = this.state.draft.trim();
        if (!body || this.state.sending) {
            return;
        }
        this.state.sending = true;
        this.state.error = "";
        try {
            const result = await rpc(`/clinic/wait/${encodeURIComponent(this.props.token)}/post`, {
                body,
            });
            this.state.draft = "";
            this.applyUpdate(result, false);
        } catch {
            this.state.error = _t("Your message could not be sent.");
        } finally {
            this.state.sending = false;
        }
    }

    onKeydown(ev) {
        if (ev.key === "Enter" && !ev.shiftKey) {
            ev.preventDefault();
            this.send();
        }
    }
}

registry.category("public_components").add("clinic_waiting_room.PatientWaiting", PatientWaiting);
