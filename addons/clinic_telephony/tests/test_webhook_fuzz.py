"""Property-based fuzzing of the webhook payload (R1).

Runs the model entry point of the controller (same checks, same writes) with
validly signed bodies: rejected input writes nothing, accepted input is idempotent.
"""

import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.addons.clinic_base.tools.signature import sign
from odoo.tests import TransactionCase, tagged

from .common import TelephonyCommon

KEYS = [
    "event_id",
    "type",
    "call_id",
    "direction",
    "from",
    "to",
    "extension",
    "timestamp",
    "recording_url",
    "source",
]
GOOD = {
    "event_id": st.text(min_size=1, max_size=40),
    "type": st.sampled_from(
        [
            "call.ringing",
            "call.answered",
            "call.ended",
            "call.recording",
            "call.failed",
            "call.originate",
            "",
            "CALL.RINGING",
        ]
    ),
    "call_id": st.text(min_size=1, max_size=20),
    "direction": st.sampled_from(["inbound", "outbound", "", "in"]),
    "from": st.sampled_from(["030 1234567", "+79162345678", "0405551234", "", "abc"]),
    "to": st.sampled_from(["101", "102", ""]),
    "extension": st.sampled_from(["101", "102", "999", ""]),
    "timestamp": st.one_of(
        st.datetimes().map(lambda d: d.isoformat()),
        st.datetimes().map(lambda d: d.isoformat() + "Z"),
        st.text(max_size=30),
    ),
    "recording_url": st.sampled_from(["https://pbx/rec.mp3", "ftp://x", ""]),
    "source": st.sampled_from(["prodoctors", "other", ""]),
}
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@st.composite
def payloads(draw):
    body = {}
    for key in KEYS:
        choice = draw(st.sampled_from(["good", "good", "good", "junk", "missing"]))
        if choice == "good":
            body[key] = draw(GOOD[key])
        elif choice == "junk":
            body[key] = draw(JUNK)
    return body


@tagged("post_install", "-at_install")
class TestWebhookFuzz(TelephonyCommon, TransactionCase):
    def setUp(self):
        super().setUp()
        # Ingestion runs in a transaction of its own; in test mode it joins this one.
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)

    def receive(self, raw, secret="s3cret"):
        timestamp = str(int(time.time()))
        headers = {
            "X-Clinic-Timestamp": timestamp,
            "X-Clinic-Signature": sign(secret, timestamp, raw),
        }
        return self.env["clinic.pbx"]._webhook_receive("test", headers, raw)

    def counts(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT (SELECT count(*) FROM clinic_call), (SELECT count(*) FROM clinic_call_event)"
        )
        return self.env.cr.fetchone()

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(payloads())
    def test_r1_fuzz_rejected_writes_nothing_accepted_idempotent(self, body):
        raw = json.dumps(body).encode()
        before = self.counts()
        status, answer = self.receive(raw)
        after = self.counts()
        if status != 200:
            self.assertEqual(status, 400)
            self.assertEqual(after, before)
            return
        self.assertIn(answer["status"], ("ok", "duplicate"))
        status, answer = self.receive(raw)
        self.assertEqual((status, answer), (200, {"status": "duplicate"}))
        self.assertEqual(self.counts(), after)

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=300))
    def test_r1_fuzz_raw_bytes_never_write(self, raw):
        before = self.counts()
        status, _answer = self.receive(raw)
        if status != 200:
            self.assertEqual(self.counts(), before)

    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
    @given(payloads(), st.text(min_size=1, max_size=20))
    def test_r1_fuzz_wrong_secret_always_401(self, body, secret):
        if secret == "s3cret":
            return
        before = self.counts()
        status, _answer = self.receive(json.dumps(body).encode(), secret=secret)
        self.assertEqual(status, 401)
        self.assertEqual(self.counts(), before)
