import { Component, onWillUnmount, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deviceResult, outcomeOf } from "./device_check";

/** Level (0-100) above which the microphone counts as hearing something. */
const HEARD_LEVEL = 3;

/**
 * W12: the patient's camera and microphone test before they enter the waiting
 * room: a preview of the camera and a level meter of the microphone; the
 * outcome (or "skipped") goes to staff through ``onResult``.
 */
export class DeviceTest extends Component {
    static template = "clinic_waiting_room.DeviceTest";
    static props = { onResult: Function };

    setup() {
        this.video = useRef("video");
        this.state = useState({
            step: "intro",
            result: "",
            level: 0,
            heard: false,
            playing: false,
            sending: false,
        });
        this.streams = [];
        onWillUnmount(() => this.stop());
    }

    get problem() {
        return {
            no_camera: _t("We could not find a camera. You can still talk to us."),
            no_microphone: _t(
                "We could not find a microphone. Please connect one or use another device."
            ),
            camera_blocked: _t(
                "Your browser blocks the camera. Allow it in the address bar, then test again."
            ),
            microphone_blocked: _t(
                "Your browser blocks the microphone. Allow it in the address bar, then test again."
            ),
        }[this.state.result];
    }

    async ask(constraints) {
        try {
            const stream = await navigator.mediaDevices.getUserMedia(constraints);
            this.streams.push(stream);
            return [stream, "ok"];
        } catch (error) {
            return [null, outcomeOf(error)];
        }
    }

    async start() {
        this.stop();
        this.state.step = "testing";
        if (!navigator.mediaDevices?.getUserMedia) {
            this.finishTest("missing", "missing");
            return;
        }
        const [audio, audioOutcome] = await this.ask({ audio: true });
        const [video, videoOutcome] = await this.ask({ video: true });
        if (audio) {
            this.listen(audio);
        }
        if (video && this.video.el) {
            this.video.el.srcObject = video;
            this.video.el.play().catch(() => {});
        }
        this.finishTest(audioOutcome, videoOutcome);
    }

    finishTest(audio, video) {
        this.state.result = deviceResult(audio, video);
        this.state.step = "result";
    }

    /** A level meter: the loudness of the microphone, redrawn with the screen. */
    listen(stream) {
        const AudioCtx = window.AudioContext || window.webkitAudioContext;
        if (!AudioCtx) {
            return;
        }
        this.audioContext = new AudioCtx();
        const analyser = this.audioContext.createAnalyser();
        analyser.fftSize = 512;
        this.audioContext.createMediaStreamSource(stream).connect(analyser);
        const samples = new Uint8Array(analyser.fftSize);
        const draw = () => {
            analyser.getByteTimeDomainData(samples);
            const peak = samples.reduce((max, value) => Math.max(max, Math.abs(value - 128)), 0);
            this.state.level = Math.min(100, Math.round((peak / 128) * 100));
            if (this.state.level > HEARD_LEVEL) {
                this.state.heard = true;
            }
            this.frame = requestAnimationFrame(draw);
        };
        draw();
    }

    stop() {
        cancelAnimationFrame(this.frame);
        this.audioContext?.close().catch(() => {});
        this.audioContext = null;
        for (const stream of this.streams) {
            stream.getTracks().forEach((track) => track.stop());
        }
        this.streams = [];
    }

    onPlaying() {
        this.state.playing = true;
    }

    async send(result) {
        if (this.state.sending) {
            return;
        }
        this.state.sending = true;
        try {
            await this.props.onResult(result);
            this.stop();
        } finally {
            this.state.sending = false;
        }
    }
}
