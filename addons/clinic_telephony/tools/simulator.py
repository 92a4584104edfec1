"""PBX simulator (SPEC T2c, T12): realistic calls through the real webhook, both ways.

ORM-free: :func:`build_scenario` turns a scenario name and a few numbers into
timed webhook bodies, :func:`play` signs and POSTs them like a PBX would.
:class:`CommandListener` is the simulator's side of the command contract
(``tools/commands``): it checks each signed command as a real PBX would,
answers 202 at once and then plays the call it asked for through the webhook
(the desk phone rings, the patient answers, they talk, one hangs up), or ends
it on a hangup command. The ``clinic-simulate`` command feeds both from the
database.
"""

import io
import json
import logging
import math
import struct
import threading
import time
import uuid
import wave
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import requests

from odoo.addons.clinic_base.tools.signature import SignatureError, verify

from . import commands
from . import events as ev

_logger = logging.getLogger(__name__)

TIMEOUT = 10


@dataclass(frozen=True)
class Numbers:
    """Numbers a scenario dials with: a known patient's, one shared by a family,
    one nobody has, and the aggregator source code (may be empty)."""

    known: str
    shared: str
    unknown: str
    aggregator_source: str = ""


@dataclass(frozen=True)
class Step:
    at: float  # seconds from the start of the scenario
    body: dict


class _Builder:
    def __init__(self, start, run_id, recording_base):
        self.start = start
        self.run_id = run_id
        self.recording_base = recording_base
        self.steps = []
        self.count = 0

    def call(self, remote, extension, plan, direction="inbound", source=""):
        """Add one call; ``plan`` is a list of (seconds, event type)."""
        self.count += 1
        call_id = f"sim-{self.run_id}-{self.count}"
        for at, kind in plan:
            body = {
                "event_id": f"{call_id}-{kind}",
                "type": kind,
                "call_id": call_id,
                "direction": direction,
                "from": remote if direction == "inbound" else extension,
                "to": extension if direction == "inbound" else remote,
                "extension": extension,
                "timestamp": (self.start + timedelta(seconds=at)).isoformat(),
            }
            if source:
                body["source"] = source
            if kind == ev.RECORDING:
                body["recording_url"] = f"{self.recording_base.rstrip('/')}/{call_id}.wav"
            self.steps.append(Step(at, body))


def _busy_morning(b, numbers, ext1, ext2):
    # A known patient books an appointment; the recording arrives later.
    b.call(
        numbers.known,
        ext1,
        [(0, ev.RINGING), (4, ev.ANSWERED), (40, ev.ENDED), (45, ev.RECORDING)],
    )
    # An unknown number; while it is being answered a second call rings ("1 more on the line")
    # and is missed.
    b.call(numbers.unknown, ext1, [(50, ev.RINGING), (53, ev.ANSWERED), (90, ev.ENDED)])
    b.call(numbers.known, ext1, [(60, ev.RINGING), (75, ev.ENDED)])
    # A family landline: two patients match, the administrator picks one.
    b.call(numbers.shared, ext1, [(95, ev.RINGING), (98, ev.ANSWERED), (125, ev.ENDED)])
    # A doctor directory's tracking line: the number stays hidden.
    b.call(
        numbers.known,
        ext2,
        [(100, ev.RINGING), (104, ev.ANSWERED), (130, ev.ENDED)],
        source=numbers.aggregator_source,
    )
    # Nobody picks up at the second desk.
    b.call(numbers.unknown, ext2, [(135, ev.RINGING), (150, ev.ENDED)])
    # A call back that nobody answers.
    b.call(numbers.known, ext2, [(155, ev.RINGING), (175, ev.ENDED)], direction="outbound")


def _single_call(b, numbers, ext1, ext2):
    b.call(numbers.known, ext1, [(0, ev.RINGING), (3, ev.ANSWERED), (10, ev.ENDED)])


def _missed_call(b, numbers, ext1, ext2):
    b.call(numbers.unknown, ext1, [(0, ev.RINGING), (8, ev.ENDED)])


SCENARIOS = {
    "busy_morning": _busy_morning,
    "single_call": _single_call,
    "missed_call": _missed_call,
}


def build_scenario(
    name, numbers, extensions, start=None, run_id=None, recording_base="https://pbx.invalid/rec"
):
    """Timed webhook bodies of scenario ``name``, sorted by time; recordings are offered
    under ``recording_base`` (the simulator's listener serves them)."""
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; choose from {', '.join(SCENARIOS)}")
    ext1, ext2 = (list(extensions) * 2)[:2]
    start = start or datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    builder = _Builder(start, run_id or uuid.uuid4().hex[:8], recording_base)
    SCENARIOS[name](builder, numbers, ext1, ext2)
    return sorted(builder.steps, key=lambda step: step.at)


def post_event(session, url, secret, body):
    """Sign and POST one body as the PBX does; return (status, json answer)."""
    raw = json.dumps(body).encode()
    response = session.post(
        url, data=raw, headers=commands.signed_headers(secret, raw), timeout=TIMEOUT
    )
    return response.status_code, response.json()


def play(steps, url, secret, speed=1.0, report=print, session=None):
    """POST ``steps`` to the webhook ``url`` at their times divided by ``speed``.

    Timestamps in the bodies are rewritten to the moment of sending so that the
    server sees a live call. Returns the list of (status, answer).
    """
    session = session or requests.Session()
    results = []
    began = time.monotonic()
    for step in steps:
        delay = step.at / speed - (time.monotonic() - began)
        if delay > 0:
            time.sleep(delay)
        body = dict(
            step.body, timestamp=datetime.now(timezone.utc).replace(tzinfo=None).isoformat()
        )
        status, answer = post_event(session, url, secret, body)
        report(f"{body['type']:<15} {body['call_id']} ext {body['extension']}: {status} {answer}")
        results.append((status, answer))
    return results


def tone_wav(seconds=2.0, rate=8000, frequency=440.0):
    """A short telephone-quality WAV (8 kHz mono): what the simulator "recorded"."""
    frames = b"".join(
        struct.pack("<h", int(12000 * math.sin(2 * math.pi * frequency * n / rate)))
        for n in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()


class CommandListener:
    """A PBX's command endpoint for the simulator (SPEC T12 contract).

    ``on_command(command)`` is called with each new, verified command (a dict,
    see :func:`tools.commands.parse_command`); a replayed ``command_id`` is
    acknowledged without a second effect. Answers: 202 accepted, 400 malformed,
    401 bad signature, 404 other paths. ``GET /recordings/<name>.wav`` serves the
    simulated calls' recordings (T15).
    """

    RECORDINGS = "/recordings/"

    def __init__(self, secret, on_command, host="127.0.0.1", port=0, path="/commands"):
        self.secret = secret
        self.on_command = on_command
        self.path = path
        self.seen = set()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), _CommandHandler)
        self.server.daemon_threads = True
        self.server.listener = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{self.path}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def receive(self, path, headers, raw):
        """Check one request; return (HTTP status, JSON answer)."""
        if path != self.path:
            return 404, {"status": "error", "error": "not found"}
        try:
            verify(
                self.secret,
                headers.get("X-Clinic-Timestamp"),
                headers.get("X-Clinic-Signature"),
                raw,
            )
        except SignatureError:
            return 401, {"status": "error", "error": "invalid signature"}
        try:
            command = commands.parse_command(raw)
        except commands.MalformedCommand as exc:
            return 400, {"status": "error", "error": str(exc)}
        with self.lock:
            duplicate = command["command_id"] in self.seen
            self.seen.add(command["command_id"])
        if not duplicate:
            self.on_command(command)
        return 202, {"status": "duplicate" if duplicate else "accepted"}


class _CommandHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        path = urlsplit(self.path).path
        if path.startswith(CommandListener.RECORDINGS) and path.endswith(".wav"):
            data, status, content_type = tone_wav(), 200, "audio/wav"
        else:
            data, status, content_type = b'{"status": "error"}', 404, "application/json"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > commands.MAX_BODY:
            status, answer = 400, {"status": "error", "error": "body too large"}
        else:
            raw = self.rfile.read(length)
            status, answer = self.server.listener.receive(
                urlsplit(self.path).path, self.headers, raw
            )
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class CallPlayer:
    """Plays the calls that commands ask for through the webhook, like a PBX.

    An originate rings the desk phone, the patient answers after ``answer_after``
    seconds and hangs up after ``talk_for`` more; a hangup command ends the
    call at once (the remaining steps are skipped).
    """

    def __init__(self, webhook_url, secret, answer_after=3.0, talk_for=20.0, report=print):
        self.webhook_url = webhook_url
        self.secret = secret
        self.answer_after = answer_after
        self.talk_for = talk_for
        self.report = report
        self.ended = {}  # call id -> threading.Event
        self.session = requests.Session()
        self.lock = threading.Lock()

    def __call__(self, command):
        call_id = command["call_id"]
        if command["command"] == commands.HANGUP:
            with self.lock:
                done = self.ended.setdefault(call_id, threading.Event())
            if not done.is_set():
                done.set()
                self._post(command, ev.ENDED, "")
            return
        with self.lock:
            done = self.ended.setdefault(call_id, threading.Event())
        threading.Thread(target=self._play, args=(command, done), daemon=True).start()

    def _play(self, command, done):
        self._post(command, ev.RINGING, command["number"])
        if done.wait(self.answer_after):
            return
        self._post(command, ev.ANSWERED, command["number"])
        if done.wait(self.talk_for):
            return
        with self.lock:
            if done.is_set():
                return
            done.set()
        self._post(command, ev.ENDED, command["number"])

    def _post(self, command, kind, number):
        body = {
            "event_id": f"{command['call_id']}-{kind}",
            "type": kind,
            "call_id": command["call_id"],
            "direction": "outbound",
            "from": command["extension"],
            "to": number,
            "extension": command["extension"],
            "timestamp": datetime.now(timezone.utc).replace(tzinfo=None).isoformat(),
        }
        try:
            status, answer = post_event(self.session, self.webhook_url, self.secret, body)
        except requests.RequestException as exc:
            _logger.warning("simulator could not post %s: %s", kind, exc)
            return
        self.report(f"{kind:<15} {body['call_id']} ext {body['extension']}: {status} {answer}")
