import { describe, expect, test } from "@odoo/hoot";

import { deviceResult, outcomeOf } from "@clinic_waiting_room/patient/device_check";
import { waitedMinutes, waitLevel } from "@clinic_waiting_room/dashboard/wait_time";

describe.current.tags("desktop");

test("W12: what getUserMedia's errors mean", () => {
    expect(outcomeOf(null)).toBe("ok");
    expect(outcomeOf(new DOMException("denied", "NotAllowedError"))).toBe("blocked");
    expect(outcomeOf(new DOMException("insecure", "SecurityError"))).toBe("blocked");
    expect(outcomeOf(new DOMException("none", "NotFoundError"))).toBe("missing");
    expect(outcomeOf(new DOMException("busy", "NotReadableError"))).toBe("missing");
});

test("W12: the microphone's problem first, then the camera's", () => {
    expect(deviceResult("ok", "ok")).toBe("ready");
    expect(deviceResult("ok", "missing")).toBe("no_camera");
    expect(deviceResult("ok", "blocked")).toBe("camera_blocked");
    expect(deviceResult("missing", "ok")).toBe("no_microphone");
    expect(deviceResult("blocked", "blocked")).toBe("microphone_blocked");
    expect(deviceResult("missing", "blocked")).toBe("no_microphone");
});

test("W9: waiting minutes and their level", () => {
    const arrival = Date.UTC(2026, 2, 2, 9, 0);
    expect(waitedMinutes(null, arrival)).toBe(null);
    expect(waitedMinutes(arrival, arrival + 59999)).toBe(0);
    expect(waitedMinutes(arrival, arrival + 60000)).toBe(1);
    expect(waitedMinutes(arrival, arrival - 5000)).toBe(0); // a clock slightly behind
    expect(waitLevel(null, 30)).toBe(0);
    expect(waitLevel(29, 30)).toBe(0);
    expect(waitLevel(30, 30)).toBe(1);
    expect(waitLevel(60, 30)).toBe(2);
    expect(waitLevel(500, 0)).toBe(0);
});
