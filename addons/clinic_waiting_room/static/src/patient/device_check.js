/**
 * W12: what a camera and microphone test found, from the outcome of asking the
 * browser for each device (getUserMedia). Pure functions, no DOM.
 *
 * An outcome is "ok", "blocked" (the patient or the browser refused access) or
 * "missing" (no such device, or it cannot be opened).
 */

/** @param {Error} error thrown by navigator.mediaDevices.getUserMedia */
export function outcomeOf(error) {
    if (!error) {
        return "ok";
    }
    // https://developer.mozilla.org/docs/Web/API/MediaDevices/getUserMedia#exceptions
    return ["NotAllowedError", "SecurityError"].includes(error.name) ? "blocked" : "missing";
}

/**
 * The result staff see; a call without sound is the worse problem, so the
 * microphone is reported first.
 */
export function deviceResult(audio, video) {
    if (audio === "blocked") {
        return "microphone_blocked";
    }
    if (audio === "missing") {
        return "no_microphone";
    }
    if (video === "blocked") {
        return "camera_blocked";
    }
    if (video === "missing") {
        return "no_camera";
    }
    return "ready";
}
