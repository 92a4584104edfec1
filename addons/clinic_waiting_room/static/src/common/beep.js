/**
 * A short two-tone alert made with Web Audio, so no sound file is bundled.
 * Browsers may block audio until the page got a user gesture: the callers of
 * this helper always show a visible alert as well.
 */
let audioContext = null;

export function beep() {
    const AudioCtx = window.AudioContext || window.webkitAudioContext;
    if (!AudioCtx) {
        return;
    }
    audioContext = audioContext || new AudioCtx();
    if (audioContext.state === "suspended") {
        audioContext.resume().catch(() => {});
    }
    const now = audioContext.currentTime;
    [880, 660].forEach((frequency, index) => {
        const oscillator = audioContext.createOscillator();
        const gain = audioContext.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.2, now + index * 0.18);
        gain.gain.exponentialRampToValueAtTime(0.001, now + index * 0.18 + 0.16);
        oscillator.connect(gain).connect(audioContext.destination);
        oscillator.start(now + index * 0.18);
        oscillator.stop(now + index * 0.18 + 0.17);
    });
}
