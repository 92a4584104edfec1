/**
 * W9: the waiting time of a caller and its colour, on the dashboard's own clock.
 * Pure functions; the dashboard redraws them as its clock ticks, without asking
 * the server again.
 */

/** Whole minutes from ``arrival`` to ``now`` (both in ms), or null before arrival. */
export function waitedMinutes(arrival, now) {
    if (!arrival) {
        return null;
    }
    return Math.max(0, Math.floor((now - arrival) / 60000));
}

/** 0 below the threshold, 1 past it, 2 past twice the threshold (threshold 0: never). */
export function waitLevel(minutes, threshold) {
    if (minutes === null || !threshold || threshold <= 0) {
        return 0;
    }
    if (minutes >= 2 * threshold) {
        return 2;
    }
    return minutes >= threshold ? 1 : 0;
}
