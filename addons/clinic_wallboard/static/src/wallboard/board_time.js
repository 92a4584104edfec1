/**
 * X1: the board's times, on its own clock. Pure functions; the board redraws
 * them every second without asking the server again.
 */

/** "4:07" or "1:02:07" for a number of seconds (never negative). */
export function elapsed(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const two = (n) => String(n).padStart(2, "0");
    const hours = Math.floor(s / 3600);
    const minutes = Math.floor((s % 3600) / 60);
    return hours ? `${hours}:${two(minutes)}:${two(s % 60)}` : `${minutes}:${two(s % 60)}`;
}

/** W9: how many of the colour ``levels`` (moments in ms) ``now`` has reached (0-2). */
export function levelReached(levels, now) {
    return levels.filter((moment) => now >= moment).length;
}

/** T16: the time left until ``deadline`` (ms), or how late it is. */
export function timeLeft(deadline, now) {
    const left = (deadline - now) / 1000;
    return left >= 0
        ? { text: elapsed(left), late: false }
        : { text: `−${elapsed(-left)}`, late: true };
}
