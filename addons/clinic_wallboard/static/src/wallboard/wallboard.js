import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { elapsed, levelReached, timeLeft } from "./board_time";

/** The board's clock ticks every second: "since" times and deadlines run on it. */
export const CLOCK_TICK = 1000;
/**
 * A change is read this long after the first notice of it, with whatever else
 * changed meanwhile: a busy line costs each board a few reads a second, not one
 * per PBX event (P2, P8: still well under a second to the screen).
 */
export const READ_DELAY = 300;
/**
 * Plus up to this much at random: the boards of a clinic hear a change at the same
 * instant, and twenty reads at once overflow a small server's listen queue (the
 * kernel then retries a connection only a second later).
 */
export const READ_SPREAD = 200;
const THEME_KEY = "clinic_wallboard.theme";

/**
 * The front desk's day on a TV (X1). The board comes from the server once; then
 * the company's wallboard channel (granted to the Wallboard group only) says which
 * panels changed and the board reads those again. Nothing polls: the clock only
 * redraws times, and the board is read again only after a websocket reconnect
 * or when the clinic's day ends.
 */
export class Wallboard extends Component {
    static template = "clinic_wallboard.Wallboard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.bus = useService("bus_service");
        this.state = useState({
            board: null,
            now: Date.now(),
            theme: browser.localStorage.getItem(THEME_KEY) || "dark",
        });
        // server time minus this browser's: a TV's wrong clock changes no time shown
        this.clockOffset = 0;
        this.channel = null;
        this.changed = new Set();
        this.readTimer = null;
        this.onPanels = (payload) => this.onChanged(payload);
        this.onReconnect = () => this.load();
        onWillStart(() => this.load());
        this.bus.subscribe("clinic_wallboard/panels", this.onPanels);
        this.bus.addEventListener("reconnect", this.onReconnect);
        const clock = browser.setInterval(() => this.tick(), CLOCK_TICK);
        onWillUnmount(() => {
            browser.clearInterval(clock);
            browser.clearTimeout(this.readTimer);
            this.bus.unsubscribe("clinic_wallboard/panels", this.onPanels);
            this.bus.removeEventListener("reconnect", this.onReconnect);
            if (this.channel) {
                this.bus.deleteChannel(this.channel);
            }
        });
    }

    async load() {
        const board = await this.orm.call("clinic.wallboard", "get_board", []);
        this.clockOffset = deserializeDateTime(board.server_now).toMillis() - Date.now();
        const channel = `res.company_${board.company_id}`;
        if (channel !== this.channel) {
            if (this.channel) {
                this.bus.deleteChannel(this.channel);
            }
            this.bus.addChannel(channel);
            this.channel = channel;
        }
        this.dayEnd = deserializeDateTime(board.day_end).toMillis();
        this.state.board = board;
        this.state.now = Date.now();
    }

    onChanged({ company_id, changed }) {
        const board = this.state.board;
        if (!board || company_id !== board.company_id) {
            return;
        }
        changed.forEach((name) => this.changed.add(name));
        if (!this.readTimer) {
            this.scheduleRead();
        }
    }

    scheduleRead() {
        const delay = READ_DELAY + Math.random() * READ_SPREAD;
        this.readTimer = browser.setTimeout(() => this.readChanged(), delay);
    }

    async readChanged() {
        const names = [...this.changed];
        this.changed.clear();
        try {
            this.applyPanels(await this.orm.call("clinic.wallboard", "get_panels", [names]));
        } finally {
            this.readTimer = null;
            if (this.changed.size) {
                // changes heard while reading: read them too
                this.scheduleRead();
            }
        }
    }

    applyPanels({ company_id, panels }) {
        const board = this.state.board;
        if (board && company_id === board.company_id) {
            Object.assign(board.panels, panels);
        }
    }

    tick() {
        this.state.now = Date.now();
        // today's figures start again at the clinic's midnight
        if (this.dayEnd && this.serverNow >= this.dayEnd) {
            this.dayEnd = null;
            this.load();
        }
    }

    get serverNow() {
        return this.state.now + this.clockOffset;
    }

    get panels() {
        return this.state.board ? this.state.board.panels : {};
    }

    millis(value) {
        return value ? deserializeDateTime(value).toMillis() : null;
    }

    since(value) {
        const at = this.millis(value);
        return at === null ? "" : elapsed((this.serverNow - at) / 1000);
    }

    /** W9: the colour level a waiting time has reached, on the board's clock. */
    waitLevel(patient) {
        return levelReached(
            patient.levels.map((moment) => this.millis(moment)),
            this.serverNow
        );
    }

    /** T16: time left to the call-back deadline, or how late it is. */
    deadline(row) {
        const at = this.millis(row.deadline);
        if (at === null) {
            return { text: this.since(row.missed_at), late: false };
        }
        return timeLeft(at, this.serverNow);
    }

    clock() {
        return new Date(this.serverNow).toLocaleTimeString([], {
            hour: "2-digit",
            minute: "2-digit",
        });
    }

    phoneState(phone) {
        return {
            idle: _t("Free"),
            ringing: _t("Ringing"),
            talking: _t("In call"),
        }[phone.state];
    }

    roomStatus(patient) {
        return {
            waiting: _t("Waiting"),
            in_consultation: _t("In consultation"),
            on_hold: _t("On hold"),
        }[patient.status];
    }

    colourLabel(colour) {
        return this.state.board.reminder_colours[colour] || colour;
    }

    toggleTheme() {
        this.state.theme = this.state.theme === "dark" ? "light" : "dark";
        browser.localStorage.setItem(THEME_KEY, this.state.theme);
    }
}

registry.category("actions").add("clinic_wallboard.board", Wallboard);
