import { describe, expect, test } from "@odoo/hoot";

import { elapsed, levelReached, timeLeft } from "@clinic_wallboard/wallboard/board_time";

describe.current.tags("desktop");

test("X1: elapsed times read as m:ss, then h:mm:ss", () => {
    expect(elapsed(0)).toBe("0:00");
    expect(elapsed(65.9)).toBe("1:05");
    expect(elapsed(3725)).toBe("1:02:05");
    expect(elapsed(-3)).toBe("0:00"); // a clock slightly behind
});

test("W9: the waiting colour level reached on the board's clock", () => {
    const arrival = Date.UTC(2026, 2, 2, 9, 0);
    const levels = [arrival + 600000, arrival + 1200000];
    expect(levelReached(levels, arrival + 599999)).toBe(0);
    expect(levelReached(levels, arrival + 600000)).toBe(1);
    expect(levelReached(levels, arrival + 1200000)).toBe(2);
    expect(levelReached([], arrival + 9999999)).toBe(0);
});

test("T16: time left to the call-back deadline, then how late", () => {
    const deadline = Date.UTC(2026, 2, 2, 9, 15);
    expect(timeLeft(deadline, deadline - 90000)).toEqual({ text: "1:30", late: false });
    expect(timeLeft(deadline, deadline)).toEqual({ text: "0:00", late: false });
    expect(timeLeft(deadline, deadline + 61000)).toEqual({ text: "−1:01", late: true });
});
