import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { click, queryAll, queryAllTexts, queryOne } from "@odoo/hoot-dom";
import { animationFrame, Deferred } from "@odoo/hoot-mock";
import { mockService, mountWithCleanup, onRpc } from "@web/../tests/web_test_helpers";

import { CallDriveOperator } from "@clinic_calldrive/operator/operator_action";

// The operator screen's lock handling (C4): every change reaches it as a bus payload
// through the call-drive service; the screen updates in place and never guesses.

describe.current.tags("desktop");
defineMailModels();

const LIST_ID = 7;
const OTTO = { id: 42, name: "Otto Operator" };

function row(id, name, extra = {}) {
    return {
        id,
        line_id: id,
        list_id: LIST_ID,
        name: false,
        partner: { id: 100 + id, name },
        phone: `+4930000${id}`,
        event_start: false,
        last_result: false,
        lock_user: false,
        lock_stale: false,
        state: "todo",
        ...extra,
    };
}

function card(id, extra = {}) {
    const rowData = rows.find((r) => r.id === id);
    return {
        ...rowData,
        partner: { ...rowData.partner, birthdate: false, numbers: [] },
        last_comment: false,
        can_dial: false,
        lock_mine: false,
        lock_date: false,
        appointments: [],
        attempts: [],
        ...extra,
    };
}

function lockPayload(lineId, extra = {}) {
    return {
        list_id: LIST_ID,
        line_id: lineId,
        lock_user: false,
        lock_stale: false,
        state: "todo",
        ...extra,
    };
}

let rows;
let listCalls;
let watchers;
let cardAnswers;

beforeEach(() => {
    rows = [row(1, "Anna Schmidt"), row(2, "Boris Ivanov"), row(3, "Carl Weber")];
    listCalls = 0;
    watchers = [];
    cardAnswers = {};
    mockService("clinic_calldrive", {
        watchList(listId, callback) {
            const watcher = { listId, callback, active: true };
            watchers.push(watcher);
            return () => (watcher.active = false);
        },
    });
    onRpc("clinic.call.list", "operator_lists", () => {
        listCalls++;
        return [
            {
                id: LIST_ID,
                name: "Confirmations",
                kind: "confirmation",
                kind_label: "Appointment confirmation",
                date: false,
                todo_count: rows.length,
                locked_count: 0,
                row_filters: [{ name: "mine", label: "Mine only" }],
            },
        ];
    });
    onRpc("clinic.call.list", "operator_rows", () => rows.map((r) => ({ ...r })));
    onRpc("clinic.call.list", "operator_results", () => []);
    onRpc("clinic.call.list.line", "operator_card", ({ args }) => {
        const id = args[0][0];
        expect.step(`card ${id}`);
        return cardAnswers[id] || card(id);
    });
});

async function mountOperator() {
    const operator = await mountWithCleanup(CallDriveOperator, {
        props: { action: { params: { list_id: LIST_ID } } },
    });
    await animationFrame();
    return operator;
}

/** What the bus delivers to the screen, through the call drive's service. */
async function busLockChange(payload) {
    for (const watcher of watchers.filter((w) => w.active && w.listId === LIST_ID)) {
        watcher.callback(payload);
    }
    await animationFrame();
}

test("the screen watches the list it shows, and only that one", async () => {
    await mountOperator();
    expect(watchers.map((w) => [w.listId, w.active])).toEqual([[LIST_ID, true]]);
    expect(queryAllTexts(".o_clinic_call_row td:first-child")).toEqual([
        "Anna Schmidt",
        "Boris Ivanov",
        "Carl Weber",
    ]);
});

test("a colleague's lock shows on the row and in the list's counter", async () => {
    await mountOperator();
    await busLockChange(lockPayload(2, { lock_user: OTTO }));
    const boris = queryOne('.o_clinic_call_row[data-row-id="2"]');
    expect(boris).toHaveClass("o_clinic_call_row_locked");
    expect(".o_clinic_call_row_holder:contains(Otto Operator)").toHaveCount(1);
    expect(".o_clinic_call_list .fa-lock").toHaveCount(1);
    expect(queryOne(".o_clinic_call_list .text-warning")).toHaveText("1");

    await busLockChange(lockPayload(2, { lock_user: OTTO, lock_stale: true }));
    expect(".o_clinic_call_row_holder .text-danger").toHaveCount(1);

    await busLockChange(lockPayload(2));
    expect(".o_clinic_call_row_locked").toHaveCount(0);
    expect(".o_clinic_call_list .fa-lock").toHaveCount(0);
});

test("a row finished elsewhere leaves the screen, its card too", async () => {
    await mountOperator();
    await click('.o_clinic_call_row[data-row-id="1"]');
    await animationFrame();
    expect.verifySteps(["card 1"]);
    expect(".o_clinic_call_patient").toHaveText("Anna Schmidt");

    await busLockChange(lockPayload(1, { state: "done" }));
    expect('.o_clinic_call_row[data-row-id="1"]').toHaveCount(0);
    expect(".o_clinic_call_patient").toHaveCount(0);
    expect(queryOne(".o_clinic_call_list .badge")).toHaveText("2");
    expect.verifySteps([]);
});

test("a lock change on the selected row reloads its card", async () => {
    await mountOperator();
    await click('.o_clinic_call_row[data-row-id="3"]');
    await animationFrame();
    expect.verifySteps(["card 3"]);

    cardAnswers[3] = card(3, { lock_user: OTTO, lock_date: "2026-01-05 09:00:00" });
    await busLockChange(lockPayload(3, { lock_user: OTTO }));
    await animationFrame();
    expect.verifySteps(["card 3"]);
    expect(".o_clinic_call_lock").toHaveText(/Locked by Otto Operator/);

    // A change on another row leaves the card alone.
    await busLockChange(lockPayload(1, { lock_user: OTTO }));
    expect.verifySteps([]);
});

test("a late card answer never replaces the row selected since", async () => {
    await mountOperator();
    const slow = new Deferred();
    onRpc("clinic.call.list.line", "operator_card", async ({ args }) => {
        const id = args[0][0];
        if (id === 1) {
            await slow;
        }
        return card(id);
    });
    await click('.o_clinic_call_row[data-row-id="1"]');
    await click('.o_clinic_call_row[data-row-id="2"]');
    await animationFrame();
    expect(".o_clinic_call_patient").toHaveText("Boris Ivanov");
    slow.resolve();
    await animationFrame();
    expect(".o_clinic_call_patient").toHaveText("Boris Ivanov");
});

test("under a row filter the counters come from the server", async () => {
    await mountOperator();
    expect(listCalls).toBe(1);
    await click(".o_clinic_call_row_filter");
    await animationFrame();
    await busLockChange(lockPayload(2, { lock_user: OTTO }));
    expect(listCalls).toBe(2);
    expect(queryAll(".o_clinic_call_row")).toHaveLength(3);
});
