import { markRaw, reactive } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { RPCError } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { browser } from "@web/core/browser/browser";
import { ShiftDialog } from "@clinic_telephony/components/shift_dialog/shift_dialog";
import { TelephonyOverlay } from "@clinic_telephony/components/telephony_overlay/telephony_overlay";

/** Finished cards (missed, completed, failed) stay this long on screen (T4). */
export const FINISHED_CARD_DELAY = 10000;
const FINISHED_STATES = ["ended", "failed"];
/** The Clinic app's menu: where the shift question is asked by itself (T1, issue 17). */
export const CLINIC_APP = "clinic_base.menu_clinic_root";
/** Server errors that mean "this call cannot be made": shown in the red banner (T5). */
const REFUSALS = [
    "odoo.exceptions.UserError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.ValidationError",
];

/**
 * Whether to put the shift question on screen by itself now (T1, issue 17): only in
 * the Clinic app, where telephony lives, so that it never covers another app's
 * work; not twice at once, and not again once the user closed it unanswered (the
 * control at the bottom keeps asking).
 */
export function shouldAskForShift({ needsShiftChoice, app, dialogOpen, declined }) {
    return Boolean(needsShiftChoice && app === CLINIC_APP && !dialogOpen && !declined);
}

/**
 * Front-desk telephony state for the web client (T1, T4, T5, T10).
 *
 * Holds what the server says: the session (phones, shift, pause) and the call
 * cards pushed over the bus. Every decision (who gets a card, who may call,
 * who is the caller) is taken by the server; this service only shows it and
 * forwards the user's clicks.
 */
export class ClinicTelephony {
    /**
     * Called on the reactive proxy, so that bus callbacks notify the components.
     */
    setup(env, services) {
        this.env = env;
        // Services are not state: keep OWL from wrapping them in proxies.
        this.services = markRaw(services);
        this.state = {
            loaded: false,
            enabled: false,
            paused: false,
            pausedBy: false,
            pausedSince: false,
            canPause: false,
            needsShiftChoice: false,
            singlePhone: false,
            phone: false,
            phones: [],
            calls: {},
            takenNotice: false,
            failure: false,
        };
        this._timers = markRaw({});
        this._shiftDialog = markRaw({ open: false, declined: false });
        const bus = services.bus_service;
        bus.subscribe("clinic_telephony/call", (payload) => this._onCall(payload));
        bus.subscribe("clinic_telephony/phone_taken", (payload) => this._onPhoneTaken(payload));
        bus.subscribe("clinic_telephony/paused", () => this.loadSession());
        bus.start();
    }

    // -------------------------------------------------------------------------
    // Session and shift (T1, T10)
    // -------------------------------------------------------------------------

    async loadSession() {
        const info = await this.services.orm.call("res.users", "clinic_telephony_session_info", []);
        Object.assign(this.state, {
            loaded: true,
            enabled: info.enabled,
            paused: info.paused,
            pausedBy: info.paused_by,
            pausedSince: info.paused_since,
            canPause: info.can_pause,
            needsShiftChoice: info.needs_shift_choice,
            singlePhone: info.single_phone,
            phone: info.phone,
            phones: info.phones,
        });
        if (info.paused) {
            // No cards while paused (T10); on resuming, the live calls come back below.
            this._dropCards();
        }
        for (const call of info.active_calls) {
            this._onCall(call);
        }
        return info;
    }

    async openShiftDialog() {
        if (this._shiftDialog.open) {
            return;
        }
        this._shiftDialog.open = true;
        await this.loadSession();
        this.services.dialog.add(
            ShiftDialog,
            {
                phones: this.state.phones,
                currentPhoneId: this.state.phone ? this.state.phone.id : false,
                singlePhone: this.state.singlePhone,
                choosePhone: (phoneId) => this.choosePhone(phoneId),
                onDismiss: () => (this._shiftDialog.declined = true),
            },
            { onClose: () => (this._shiftDialog.open = false) }
        );
    }

    /**
     * Ask for the shift's phone if the user is in the Clinic app and has not
     * answered today (T1). Called whenever the screen or the app changes; a
     * macrotask later, once a new main action has closed the dialogs it closes.
     */
    askWhereTelephonyLives() {
        browser.setTimeout(() => {
            const ask = shouldAskForShift({
                needsShiftChoice: this.state.needsShiftChoice,
                app: this.services.menu.getCurrentApp()?.xmlid,
                dialogOpen: this._shiftDialog.open,
                declined: this._shiftDialog.declined,
            });
            if (ask) {
                this.openShiftDialog();
            }
        }, 0);
    }

    /** Yes/no question; resolves to whether the user confirmed. */
    _confirm({ title, body, confirmLabel }) {
        return new Promise((resolve) => {
            this.services.dialog.add(
                ConfirmationDialog,
                {
                    title,
                    body,
                    confirmLabel,
                    confirm: () => resolve(true),
                    cancel: () => resolve(false),
                },
                { onClose: () => resolve(false) }
            );
        });
    }

    /**
     * Bind the user to ``phoneId`` (false: not working with telephony now).
     * A phone held by a colleague is only taken over after confirmation.
     *
     * @returns {Promise<boolean>} whether the choice was saved
     */
    async choosePhone(phoneId, force = false) {
        const result = await this.services.orm.call("res.users", "clinic_telephony_set_phone", [
            phoneId,
            force,
        ]);
        if (result.status === "occupied") {
            const confirmed = await this._confirm({
                title: _t("Phone in use"),
                body: _t(
                    "%(holder)s is working at this phone. Take it over? They will stop receiving its calls.",
                    { holder: result.holder }
                ),
                confirmLabel: _t("Take over"),
            });
            return confirmed ? this.choosePhone(phoneId, true) : false;
        }
        this.state.takenNotice = false;
        await this.loadSession();
        return true;
    }

    /**
     * Pause or resume telephony for the whole clinic (T10, managers), after
     * confirmation; every operator's control shows it at once (bus).
     *
     * @returns {Promise<boolean>} whether it was done
     */
    async setPaused(paused) {
        const confirmed = await this._confirm(
            paused
                ? {
                      title: _t("Pause telephony"),
                      body: _t(
                          "Pause telephony for the whole clinic? Operators get no call cards and cannot place calls until you resume."
                      ),
                      confirmLabel: _t("Pause"),
                  }
                : {
                      title: _t("Resume telephony"),
                      body: _t(
                          "Resume telephony? Operators get their call cards again and can place calls."
                      ),
                      confirmLabel: _t("Resume"),
                  }
        );
        if (!confirmed) {
            return false;
        }
        await this.services.orm.call("res.users", "clinic_telephony_set_paused", [paused]);
        await this.loadSession();
        return true;
    }

    _onPhoneTaken(payload) {
        this.state.takenNotice = payload;
        this.loadSession();
    }

    dismissTakenNotice() {
        this.state.takenNotice = false;
    }

    // -------------------------------------------------------------------------
    // Call cards (T4)
    // -------------------------------------------------------------------------

    _onCall(call) {
        const known = this.state.calls[call.id];
        if (known && known.dismissed) {
            return;
        }
        this.state.calls[call.id] = { ...call, dismissed: false };
        if (call.state !== "ringing" && call.user_id && call.user_id !== user.userId) {
            // A call that rang here too was answered at a colleague's phone (T13).
            this.closeCard(call.id);
            return;
        }
        if (call.lost || (call.state === "failed" && call.failure)) {
            // Closed after the PBX's time limit (T14), or refused by the PBX: the card
            // goes at once; a refusal says why in the red banner (T12).
            if (call.failure) {
                this.showFailure(call.failure);
            }
            this.closeCard(call.id);
            return;
        }
        if (FINISHED_STATES.includes(call.state) && !this._timers[call.id]) {
            this._timers[call.id] = browser.setTimeout(
                () => this.closeCard(call.id),
                FINISHED_CARD_DELAY
            );
        }
        if (call.state === "failed") {
            this.showFailure(
                call.number
                    ? _t("The call to %(number)s failed.", { number: call.number })
                    : _t("The call failed.")
            );
        }
    }

    _dropCards() {
        for (const callId of Object.keys(this.state.calls)) {
            browser.clearTimeout(this._timers[callId]);
            delete this._timers[callId];
            delete this.state.calls[callId];
        }
    }

    closeCard(callId) {
        browser.clearTimeout(this._timers[callId]);
        delete this._timers[callId];
        if (this.state.calls[callId]) {
            this.state.calls[callId].dismissed = true;
        }
    }

    get visibleCalls() {
        return Object.values(this.state.calls)
            .filter((call) => !call.dismissed)
            .sort((a, b) => a.id - b.id);
    }

    /**
     * The call the user deals with: the one being talked, else the oldest incoming
     * caller, else a pending outgoing call. A click-to-call still waiting for the
     * PBX never hides a real caller (T12).
     */
    get currentCall() {
        const live = this.visibleCalls.filter((call) => !FINISHED_STATES.includes(call.state));
        return (
            live.find((call) => call.state === "talking") ||
            live.find((call) => call.direction === "inbound") ||
            live[0] ||
            false
        );
    }

    /** Further incoming calls waiting while the user is busy ("N more on the line"). */
    get waitingCount() {
        const current = this.currentCall;
        return this.visibleCalls.filter(
            (call) => call !== current && call.state === "ringing" && call.direction === "inbound"
        ).length;
    }

    get finishedCalls() {
        return this.visibleCalls.filter((call) => FINISHED_STATES.includes(call.state));
    }

    // -------------------------------------------------------------------------
    // Card actions (T4)
    // -------------------------------------------------------------------------

    async _runCallAction(callId, method) {
        const action = await this.services.orm.call("clinic.call", method, [[callId]]);
        return this.services.action.doAction(action);
    }

    /** Cancel a click-to-call that has not connected yet (T12). */
    async hangUp(callId) {
        try {
            await this.services.orm.call("clinic.call", "action_hang_up", [[callId]]);
        } catch (error) {
            if (error instanceof RPCError && REFUSALS.includes(error.exceptionName)) {
                this.showFailure(error.data.message);
                return;
            }
            throw error;
        }
    }

    bookAppointment(callId) {
        return this._runCallAction(callId, "action_book_appointment");
    }

    addPatient(callId) {
        return this._runCallAction(callId, "action_add_patient");
    }

    async choosePatient(callId, partnerId) {
        const call = await this.services.orm.call("clinic.call", "action_choose_patient", [
            [callId],
            partnerId,
        ]);
        this._onCall(call);
    }

    openPatient(partnerId) {
        return this.services.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: partnerId,
            views: [[false, "form"]],
        });
    }

    // -------------------------------------------------------------------------
    // Click-to-call (T5)
    // -------------------------------------------------------------------------

    /**
     * Ask the PBX to call ``number``; the server refuses with a message when
     * the user may not call now, and the outgoing card comes back at once
     * (failed, with the reason, when the PBX refused or did not answer).
     */
    async dial(number, partnerId = false) {
        let call;
        try {
            call = await this.services.orm.call("clinic.call", "dial", [number], {
                partner_id: partnerId,
            });
        } catch (error) {
            if (error instanceof RPCError && REFUSALS.includes(error.exceptionName)) {
                this.showFailure(error.data.message);
                return false;
            }
            throw error;
        }
        this._onCall(call);
        return call;
    }

    showFailure(message) {
        this.state.failure = message;
    }

    dismissFailure() {
        this.state.failure = false;
    }
}

export const clinicTelephonyService = {
    dependencies: ["orm", "bus_service", "action", "dialog", "menu"],
    start(env, services) {
        const telephony = reactive(new ClinicTelephony());
        telephony.setup(env, services);
        // The shift question comes by itself only in the Clinic app (issue 17): on
        // Calendar, Contacts... the page stays usable and the control at the bottom asks.
        telephony.loadSession().then(() => {
            const ask = () => telephony.askWhereTelephonyLives();
            env.bus.addEventListener("ACTION_MANAGER:UI-UPDATED", ask);
            env.bus.addEventListener("MENUS:APP-CHANGED", ask);
            ask();
        });
        registry
            .category("main_components")
            .add("clinic_telephony.TelephonyOverlay", { Component: TelephonyOverlay });
        return telephony;
    },
};

registry.category("services").add("clinic_telephony", clinicTelephonyService);
