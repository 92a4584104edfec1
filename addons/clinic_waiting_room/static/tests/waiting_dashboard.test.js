import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { beforeEach, describe, expect, test } from "@odoo/hoot";
import { queryAllTexts, queryOne } from "@odoo/hoot-dom";
import { advanceTime, animationFrame, mockDate } from "@odoo/hoot-mock";
import { mockService, mountWithCleanup, onRpc } from "@web/../tests/web_test_helpers";

import { CLOCK_TICK, WaitingDashboard } from "@clinic_waiting_room/dashboard/waiting_dashboard";

// The staff dashboard (W1, W8, W9, W11): loaded once, then kept live by the room's
// bus channel; waiting times and their colour run on the dashboard's own clock.

describe.current.tags("desktop");
defineMailModels();

const STATUSES = [
    ["invited", "Not arrived"],
    ["waiting", "Waiting"],
    ["left", "Left"],
    ["in_consultation", "In consultation"],
    ["on_hold", "On hold"],
    ["finished", "Finished"],
];

function entry(id, patient, extra = {}) {
    return {
        id,
        patient,
        state: "waiting",
        status: "waiting",
        arrival: "2026-03-02 08:55:00",
        count: 0,
        colour: "",
        hold: false,
        consultant: "",
        locked: false,
        channel_id: 100 + id,
        device: "ready",
        checked_in: true,
        alert: false,
        ...extra,
    };
}

let loads;
let subscriptions;
let notifications;

beforeEach(() => {
    mockDate("2026-03-02 09:00:00");
    loads = 0;
    subscriptions = {};
    notifications = [];
    mockService("bus_service", {
        subscribe(type, callback) {
            subscriptions[type] = callback;
        },
        unsubscribe(type) {
            delete subscriptions[type];
        },
        addChannel() {},
        deleteChannel() {},
    });
    mockService("notification", {
        add(text) {
            notifications.push(text);
        },
    });
    onRpc("clinic.waiting.room", "get_dashboard_data", () => {
        loads++;
        return {
            room_id: 1,
            rooms: [{ id: 1, name: "Waiting room" }],
            statuses: STATUSES,
            devices: [["ready", "Device ready"]],
            threshold: 30,
            server_now: "2026-03-02 09:00:00",
            entries: [
                entry(1, "Anna Schmidt"),
                entry(2, "Boris Ivanov", { status: "invited", arrival: false, device: "" }),
            ],
        };
    });
});

/** What the room's bus channel delivers. */
async function busEntries(entries) {
    subscriptions["clinic_waiting_room/entries"](entries);
    await animationFrame();
}

function waitTimes() {
    return queryAllTexts(".o_clinic_wait_time");
}

test("W9: the waiting time runs on the dashboard's clock, the list is not reloaded", async () => {
    await mountWithCleanup(WaitingDashboard, { props: { action: {} } });
    await animationFrame();
    expect(loads).toBe(1);
    expect(waitTimes()).toEqual(["5 min", "—"]);
    expect(".o_clinic_wait_level_0").toHaveCount(2);

    // half an hour (and a tick) later, nothing from the server
    await advanceTime(30 * 60 * 1000 + CLOCK_TICK);
    expect(loads).toBe(1);
    expect(waitTimes()).toEqual(["35 min", "—"]);
    expect(queryOne(".o_clinic_waiting_row[data-entry-id='1'] .o_clinic_wait_time")).toHaveClass(
        "o_clinic_wait_level_1"
    );

    await advanceTime(30 * 60 * 1000);
    expect(waitTimes()).toEqual(["65 min", "—"]);
    expect(".o_clinic_wait_level_2").toHaveCount(1);
    expect(loads).toBe(1);
});

test("W9: the clock ticks often enough to keep minutes right", async () => {
    expect(CLOCK_TICK).toBeLessThan(60000);
});

test("W8, W11: arrivals and returns are announced, muted callers stay silent", async () => {
    await mountWithCleanup(WaitingDashboard, { props: { action: {} } });
    await animationFrame();
    await busEntries([
        entry(2, "Boris Ivanov", { arrival: "2026-03-02 09:00:00", alert: "arrived" }),
    ]);
    expect(notifications).toEqual(["Boris Ivanov arrived in the waiting room"]);
    expect(".o_clinic_waiting_row[data-entry-id='2']").toHaveAttribute("data-status", "waiting");
    expect(waitTimes()).toEqual(["5 min", "0 min"]);

    await busEntries([entry(1, "Anna Schmidt", { status: "left" })]);
    expect(".o_clinic_waiting_row[data-entry-id='1']").toHaveAttribute("data-status", "left");
    expect(notifications).toHaveLength(1);

    await busEntries([entry(1, "Anna Schmidt", { alert: "returned" })]);
    expect(notifications.at(-1)).toBe("Anna Schmidt is back in the waiting room");
    expect(loads).toBe(1);
});

test("W8: busy, mute this caller: no sound for them", async () => {
    const dashboard = await mountWithCleanup(WaitingDashboard, { props: { action: {} } });
    await animationFrame();
    dashboard.toggleMute({ id: 2 });
    await busEntries([entry(2, "Boris Ivanov", { alert: "arrived" })]);
    expect(notifications).toEqual([]);
    dashboard.toggleMute({ id: 2 });
    await busEntries([entry(2, "Boris Ivanov", { alert: "returned" })]);
    expect(notifications).toEqual(["Boris Ivanov is back in the waiting room"]);
});
