"""PBX simulator (SPEC T2c): realistic call scenarios played through the real webhook.

ORM-free: :func:`build_scenario` turns a scenario name and a few numbers into
timed webhook bodies, :func:`play` signs and POSTs them like a PBX would.
The ``clinic-simulate`` command feeds it from the database.
"""

import json
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import requests

from odoo.addons.clinic_base.tools.signature import sign

from . import events as ev

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
    def __init__(self, start, run_id):
        self.start = start
        self.run_id = run_id
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
                body["recording_url"] = f"https://pbx.invalid/recordings/{call_id}.mp3"
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


def build_scenario(name, numbers, extensions, start=None, run_id=None):
    """Timed webhook bodies of scenario ``name``, sorted by time."""
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; choose from {', '.join(SCENARIOS)}")
    ext1, ext2 = (list(extensions) * 2)[:2]
    start = start or datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    builder = _Builder(start, run_id or uuid.uuid4().hex[:8])
    SCENARIOS[name](builder, numbers, ext1, ext2)
    return sorted(builder.steps, key=lambda step: step.at)


def post_event(session, url, secret, body):
    """Sign and POST one body as the PBX does; return (status, json answer)."""
    raw = json.dumps(body).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Clinic-Timestamp": timestamp,
        "X-Clinic-Signature": sign(secret, timestamp, raw),
    }
    response = session.post(url, data=raw, headers=headers, timeout=TIMEOUT)
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
