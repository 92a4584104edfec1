import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { describe, expect, test } from "@odoo/hoot";
import { ConnectionLostError, RPCError } from "@web/core/network/rpc";
import { makeMockEnv } from "@web/../tests/web_test_helpers";

import { reminderHandledService } from "@clinic_reminder/services/reminder_handled_service";

// The one toggle of the pink mark (C5): the server's refusal reaches the operator
// in the server's words; anything else is left to Odoo's error handling.

describe.current.tags("desktop");
defineMailModels();

async function start(call) {
    // A test environment loads the translations _t needs.
    await makeMockEnv();
    const orm = { call };
    const notification = {
        add(message, options) {
            expect.step(`${options.type}: ${options.title} / ${message}`);
        },
    };
    return reminderHandledService.start({}, { orm, notification });
}

test("the rows' colour payload comes back from the server", async () => {
    const payload = { list_id: 1, lines: [[5, "pink"]], needs_call: [] };
    const handled = await start(async (model, method, args) => {
        expect.step(`${model}.${method}(${JSON.stringify(args)})`);
        return payload;
    });
    expect(await handled.toggle([5])).toEqual(payload);
    expect.verifySteps(["clinic.call.list.line.action_reminder_toggle_handled([[5]])"]);
});

test("a refusal shows the server's message and returns nothing", async () => {
    const handled = await start(async () => {
        const error = new RPCError("Odoo Server Error");
        error.data = { message: "Only reminder rows can be marked as handled." };
        throw error;
    });
    expect(await handled.toggle([5])).toBe(null);
    expect.verifySteps([
        "danger: This row cannot be marked / Only reminder rows can be marked as handled.",
    ]);
});

test("a lost connection is not hidden behind a notification", async () => {
    const handled = await start(async () => {
        throw new ConnectionLostError("/web/dataset/call_kw");
    });
    await expect(handled.toggle([5])).rejects.toThrow(ConnectionLostError);
    expect.verifySteps([]);
});
