import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { beep } from "@clinic_waiting_room/common/beep";
import { DeviceTest } from "./device_test";

/**
 * The patient's page (W4, W6, W7, W11-W13): outside opening hours a closed notice;
 * on first opening the check-in (name, consent, camera and microphone test); then
 * the waiting screen with the clinic's messages arriving live on the patient's own
 * guest bus channel and, when the clinic allows it, a box to write back. The page
 * joins the bus as the visit's guest: staff see the patient "waiting" while it is
 * open. Every text is rendered with t-esc (R3).
 */
export class PatientWaiting extends Component {
    static template = "clinic_waiting_room.PatientWaiting";
    static components = { DeviceTest };
    static props = { token: String };

    setup() {
        this.bus = useService("bus_service");
        this.imStatus = useService("im_status");
        this.state = useState({
            step: "loading",
            status: "waiting",
            clinic: "",
            patient: "",
            consent: "",
            consentAccepted: false,
            nextOpening: false,
            messages: [],
            canWrite: false,
            videoUrl: false,
            draft: "",
            unread: 0,
            error: "",
            sending: false,
        });
        this.onUpdate = (payload) => this.applyUpdate(payload, true);
        this.onReconnect = () => this.imStatus.updateBusPresence();
        // W11: leaving the page (closing it, or a back-forward cache keeping its
        // connection open) is leaving the waiting room; coming back is arriving
        this.onPageHide = () => navigator.sendBeacon(this.url("leave"));
        this.onPageShow = (ev) => ev.persisted && this.imStatus.updateBusPresence();
        onWillStart(async () => this.show(await this.call("data")));
        onWillUnmount(() => {
            browser.clearTimeout(this.openingTimer);
            this.bus.unsubscribe("clinic_waiting_room/update", this.onUpdate);
            this.bus.removeEventListener("reconnect", this.onReconnect);
            browser.removeEventListener("pagehide", this.onPageHide);
            browser.removeEventListener("pageshow", this.onPageShow);
        });
    }

    url(route) {
        return `/clinic/wait/${encodeURIComponent(this.props.token)}/${route}`;
    }

    call(route, params = {}) {
        return rpc(this.url(route), params);
    }

    /** Which screen the page data asks for. */
    show(data) {
        Object.assign(this.state, {
            clinic: data.clinic,
            patient: data.patient,
            consent: data.consent,
            nextOpening: data.next_opening,
            messages: data.messages,
        });
        this.applyUpdate(data, false);
        if (data.closed) {
            this.state.step = "closed";
            // W13: the page opens by itself when the room does (one timer, no polling)
            if (data.next_opening) {
                this.openingTimer = browser.setTimeout(
                    () => browser.location.reload(),
                    (data.next_opening.in_seconds + 1) * 1000
                );
            }
        } else if (!data.checked_in) {
            this.state.step = "name";
        } else if (!data.device) {
            this.state.step = "device";
        } else {
            this.enterWaitingRoom();
        }
    }

    /** W11: join the bus as the patient; staff now see them waiting. */
    async enterWaitingRoom() {
        this.state.step = "waiting";
        this.bus.subscribe("clinic_waiting_room/update", this.onUpdate);
        // after a dropped connection the page reports itself again
        this.bus.addEventListener("reconnect", this.onReconnect);
        browser.addEventListener("pagehide", this.onPageHide);
        browser.addEventListener("pageshow", this.onPageShow);
        await this.bus.start();
        // the bus may be connected already (another page of this patient): say so
        this.imStatus.updateBusPresence();
    }

    get nameQuestion() {
        return _t("Are you %s?", this.state.patient);
    }

    /** W13: when the room opens, in the clinic's time zone. */
    get openingText() {
        const { label, zone } = this.state.nextOpening;
        return _t("It opens %(when)s (%(zone)s time). This page opens by itself then.", {
            when: label,
            zone,
        });
    }

    get statusLabel() {
        return {
            waiting: _t("Please wait, you will be called in shortly."),
            in_consultation: _t("Your consultation is starting."),
            on_hold: _t("You are on hold. Please stay on this page."),
            finished: _t("Your visit is over. Thank you!"),
        }[this.state.status];
    }

    confirmName() {
        this.state.step = this.state.consent ? "consent" : "checkin";
        if (!this.state.consent) {
            this.checkIn();
        }
    }

    async checkIn() {
        this.state.error = "";
        try {
            const data = await this.call("checkin", {
                name_confirmed: true,
                consent_accepted: this.state.consentAccepted,
            });
            this.show(data);
        } catch (error) {
            this.state.error = error.data?.message || _t("Please try again.");
        }
    }

    async onDeviceResult(result) {
        await this.call("device", { result });
        this.enterWaitingRoom();
    }

    applyUpdate(payload, live) {
        if ("state" in payload) {
            this.state.status = payload.state;
            this.state.canWrite = payload.can_write;
            this.state.videoUrl = payload.video_url;
        }
        if (live && payload.presence === "left" && payload.state !== "finished") {
            // W11: the server saw a socket of this page close (a reload racing with
            // its old connection): the page is open, say so again
            this.imStatus.updateBusPresence();
        }
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
            const result = await this.call("post", { body });
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
