import { describe, expect, test } from "@odoo/hoot";

import { callDriveService } from "@clinic_calldrive/services/call_drive_service";

// The service counts who watches a list (C4): a screen that stops watching never
// takes the channel away from another screen still watching it.

describe.current.tags("headless");

function fakeBus() {
    const handlers = {};
    return {
        channels: [],
        subscribe(type, handler) {
            handlers[type] = handler;
        },
        addChannel(name) {
            expect.step(`add ${name}`);
            this.channels.push(name);
        },
        deleteChannel(name) {
            expect.step(`delete ${name}`);
            this.channels = this.channels.filter((c) => c !== name);
        },
        deliver(type, payload) {
            handlers[type](payload);
        },
    };
}

test("one channel per list, dropped with its last watcher", () => {
    const bus = fakeBus();
    const callDrive = callDriveService.start({}, { bus_service: bus });
    const stopScreen = callDrive.watchList(3, () => expect.step("screen"));
    const stopList = callDrive.watchList(3, () => expect.step("list"));
    expect.verifySteps(["add clinic.call.list_3"]);

    bus.deliver("clinic_calldrive/lock", { list_id: 3, line_id: 9 });
    expect.verifySteps(["screen", "list"]);

    stopList();
    expect.verifySteps([]);
    expect(bus.channels).toEqual(["clinic.call.list_3"]);
    bus.deliver("clinic_calldrive/lock", { list_id: 3, line_id: 9 });
    expect.verifySteps(["screen"]);

    stopScreen();
    expect.verifySteps(["delete clinic.call.list_3"]);
});

test("payloads of other lists are not delivered", () => {
    const bus = fakeBus();
    const callDrive = callDriveService.start({}, { bus_service: bus });
    callDrive.watchList(3, (payload) => expect.step(`list 3: ${payload.line_id}`));
    bus.deliver("clinic_calldrive/lock", { list_id: 4, line_id: 1 });
    bus.deliver("clinic_calldrive/lock", { list_id: 3, line_id: 2 });
    expect.verifySteps(["add clinic.call.list_3", "list 3: 2"]);
});
