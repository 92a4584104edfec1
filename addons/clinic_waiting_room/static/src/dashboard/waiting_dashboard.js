import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { beep } from "@clinic_waiting_room/common/beep";
import { NotifyDialog } from "./notify_dialog";
import { waitedMinutes, waitLevel } from "./wait_time";

/** How often the dashboard's clock redraws waiting times (no server call). */
export const CLOCK_TICK = 15000;

/**
 * Staff dashboard of a virtual waiting room (W1-W3, W5-W12). The list comes from
 * the server once and is kept live by the room's bus channel, which the server
 * grants only to clinic operators; waiting times run on a client-side clock.
 */
export class WaitingDashboard extends Component {
    static template = "clinic_waiting_room.Dashboard";
    static components = { Dropdown, DropdownItem };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.bus = useService("bus_service");
        this.dialog = useService("dialog");
        this.action = useService("action");
        this.notification = useService("notification");
        this.store = useService("mail.store");
        this.rtc = useService("discuss.rtc");
        this.state = useState({
            roomId: false,
            rooms: [],
            entries: [],
            filter: "",
            muted: {},
            // [[value, label], ...] translated by the server
            statuses: [],
            devices: [],
            threshold: 0,
            now: Date.now(),
        });
        // server time minus this browser's: waiting times do not depend on its clock
        this.clockOffset = 0;
        this.onEntries = (entries) => entries.forEach((entry) => this.applyEntry(entry));
        onWillStart(() => this.load());
        this.bus.subscribe("clinic_waiting_room/entries", this.onEntries);
        // W9: the clock only redraws; the list itself changes through the bus
        const clock = browser.setInterval(() => (this.state.now = Date.now()), CLOCK_TICK);
        onWillUnmount(() => {
            browser.clearInterval(clock);
            this.bus.unsubscribe("clinic_waiting_room/entries", this.onEntries);
            if (this.state.roomId) {
                this.bus.deleteChannel(this.channelName(this.state.roomId));
            }
        });
    }

    get statusLabels() {
        return Object.fromEntries(this.state.statuses);
    }

    get deviceLabels() {
        return Object.fromEntries(this.state.devices);
    }

    channelName(roomId) {
        return `clinic.waiting.room_${roomId}`;
    }

    async load(roomId = this.state.roomId) {
        const data = await this.orm.call(
            "clinic.waiting.room",
            "get_dashboard_data",
            [roomId ? [roomId] : []],
            { status: this.state.filter || false }
        );
        if (this.state.roomId && this.state.roomId !== data.room_id) {
            this.bus.deleteChannel(this.channelName(this.state.roomId));
        }
        if (data.room_id && data.room_id !== this.state.roomId) {
            this.bus.addChannel(this.channelName(data.room_id));
        }
        this.clockOffset = deserializeDateTime(data.server_now).toMillis() - Date.now();
        Object.assign(this.state, {
            roomId: data.room_id,
            rooms: data.rooms,
            entries: data.entries,
            statuses: data.statuses,
            devices: data.devices,
            threshold: data.threshold,
            now: Date.now(),
        });
    }

    /** W9: minutes since the patient arrived, on the dashboard's clock. */
    waited(entry) {
        const arrival = entry.arrival ? deserializeDateTime(entry.arrival).toMillis() : null;
        return waitedMinutes(arrival, this.state.now + this.clockOffset);
    }

    /** W9: the colour level of a waiting time past the company's threshold. */
    levelOf(minutes) {
        return waitLevel(minutes, this.state.threshold);
    }

    applyEntry(entry) {
        const index = this.state.entries.findIndex((e) => e.id === entry.id);
        const shown = !this.state.filter || entry.status === this.state.filter;
        if (index >= 0) {
            const previous = this.state.entries[index];
            if (entry.count > previous.count && entry.colour === "orange") {
                this.alert(entry, _t("New message from %s", entry.patient));
            }
            if (shown) {
                this.state.entries[index] = entry;
            } else {
                this.state.entries.splice(index, 1);
            }
        } else if (shown) {
            this.state.entries.push(entry);
        }
        // W8: arrivals are announced whatever the filter shows
        if (entry.alert === "arrived") {
            this.alert(entry, _t("%s arrived in the waiting room", entry.patient));
        } else if (entry.alert === "returned") {
            this.alert(entry, _t("%s is back in the waiting room", entry.patient));
        }
    }

    /** W8: sound + notification, unless staff muted this caller ("busy"). */
    alert(entry, text) {
        if (this.state.muted[entry.id]) {
            return;
        }
        beep();
        this.notification.add(text, { type: "info" });
        if (browser.Notification?.permission === "granted") {
            new browser.Notification(text);
        }
    }

    get canAskDesktopAlerts() {
        return browser.Notification?.permission === "default";
    }

    async askDesktopAlerts() {
        await browser.Notification.requestPermission();
        this.render();
    }

    async setFilter(ev) {
        this.state.filter = ev.target.value;
        await this.load();
    }

    async setRoom(ev) {
        await this.load(parseInt(ev.target.value));
    }

    toggleMute(entry) {
        this.state.muted[entry.id] = !this.state.muted[entry.id];
    }

    notifyOne(entry) {
        this.dialog.add(NotifyDialog, {
            title: _t("Notify %s", entry.patient),
            entryId: entry.id,
        });
    }

    notifyDisplayed() {
        this.dialog.add(NotifyDialog, {
            title: this.state.filter
                ? _t("Notify the displayed callers (%s)", this.statusLabels[this.state.filter])
                : _t("Notify everyone in the waiting room"),
            roomId: this.state.roomId,
            statusFilter: this.state.filter,
            recipientCount: this.state.entries.length,
        });
    }

    async startVideo(entry, force = false) {
        const result = await this.orm.call(
            "clinic.waiting.entry",
            "action_start_video",
            [[entry.id]],
            { force }
        );
        if (result.locked_by) {
            this.dialog.add(ConfirmationDialog, {
                title: _t("Consultation in progress"),
                body: _t("%s already joined this consultation. Join as well?", result.locked_by),
                confirm: () => this.startVideo(entry, true),
                cancel: () => {},
            });
            return;
        }
        const thread = await this.store.Thread.getOrFetch({
            model: "discuss.channel",
            id: result.channel_id,
        });
        if (thread) {
            thread.open();
            await this.rtc.toggleCall(thread, { camera: true });
        }
    }

    async hold(entry) {
        await this.orm.call("clinic.waiting.entry", "action_hold", [[entry.id]]);
    }

    async leaveCall(entry) {
        if (this.rtc.state.channel?.id === entry.channel_id) {
            await this.rtc.leaveCall(this.rtc.state.channel);
        }
        await this.orm.call("clinic.waiting.entry", "action_leave_call", [[entry.id]]);
    }

    async finish(entry) {
        await this.orm.call("clinic.waiting.entry", "action_finish", [[entry.id]]);
    }

    openEntry(entry) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "clinic.waiting.entry",
            res_id: entry.id,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("clinic_waiting_room.dashboard", WaitingDashboard);
