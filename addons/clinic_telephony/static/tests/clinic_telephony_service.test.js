import { describe, expect, test } from "@odoo/hoot";
import {
    CLINIC_APP,
    ClinicTelephony,
    shouldAskForShift,
} from "@clinic_telephony/services/clinic_telephony_service";

/**
 * The call cards on screen (T4, T12): which call the big card shows, and how many
 * further callers wait. Pure getters over the cards the server pushed.
 */
function telephonyWith(...calls) {
    const telephony = new ClinicTelephony();
    telephony.state = { calls: {} };
    for (const call of calls) {
        telephony.state.calls[call.id] = { dismissed: false, ...call };
    }
    return telephony;
}

const incoming = (id, state = "ringing") => ({ id, state, direction: "inbound" });
const outgoing = (id, state = "ringing") => ({ id, state, direction: "outbound" });

describe.current.tags("headless");

describe("currentCall", () => {
    test("a pending click-to-call never hides an incoming caller", () => {
        const telephony = telephonyWith(outgoing(1), incoming(2));
        expect(telephony.currentCall.id).toBe(2);
        expect(telephony.waitingCount).toBe(0);
    });

    test("the call being talked comes first", () => {
        const telephony = telephonyWith(incoming(1), incoming(2, "talking"), incoming(3));
        expect(telephony.currentCall.id).toBe(2);
        expect(telephony.waitingCount).toBe(2);
    });

    test("the oldest incoming caller when nobody talks", () => {
        const telephony = telephonyWith(incoming(4), incoming(3));
        expect(telephony.currentCall.id).toBe(3);
        expect(telephony.waitingCount).toBe(1);
    });

    test("a pending click-to-call alone is the current call", () => {
        expect(telephonyWith(outgoing(5)).currentCall.id).toBe(5);
    });

    test("finished and dismissed cards are never current", () => {
        const telephony = telephonyWith(
            incoming(1, "ended"),
            { ...incoming(2), dismissed: true },
            outgoing(3, "failed")
        );
        expect(telephony.currentCall).toBe(false);
        expect(telephony.waitingCount).toBe(0);
    });
});

describe("waitingCount", () => {
    test("only further incoming callers ringing count", () => {
        const telephony = telephonyWith(
            outgoing(1, "talking"),
            incoming(2),
            incoming(3),
            outgoing(4),
            incoming(5, "ended")
        );
        expect(telephony.currentCall.id).toBe(1);
        expect(telephony.waitingCount).toBe(2);
    });
});

describe("shouldAskForShift", () => {
    const question = {
        needsShiftChoice: true,
        app: CLINIC_APP,
        dialogOpen: false,
        declined: false,
    };

    test("asked by itself in the Clinic app when today's answer is missing", () => {
        expect(shouldAskForShift(question)).toBe(true);
    });

    test("never over another app's screen (issue 17)", () => {
        expect(shouldAskForShift({ ...question, app: "calendar.mail_menu_calendar" })).toBe(false);
        expect(shouldAskForShift({ ...question, app: undefined })).toBe(false);
    });

    test("not when answered, already on screen or closed unanswered", () => {
        expect(shouldAskForShift({ ...question, needsShiftChoice: false })).toBe(false);
        expect(shouldAskForShift({ ...question, dialogOpen: true })).toBe(false);
        expect(shouldAskForShift({ ...question, declined: true })).toBe(false);
    });
});
