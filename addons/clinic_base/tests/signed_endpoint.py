"""One set of answers for every signed endpoint (SPEC T2 contract, T11, C9, R1).

:class:`SignedEndpointCases` runs the same requests against each endpoint that
goes through ``tools/signed_request.verify_request`` (the PBX webhook, the
reminder gateways' delivery reports) and expects the same status codes: 400
malformed or oversized, 401 bad signature or stale timestamp, 404 unknown code,
and nothing written. Mix it into an ``HttpCase`` and define the hooks below.
"""

import json
import time

from odoo.tools import mute_logger

from ..tools import signed_request
from ..tools.signature import sign

MUTED = ("odoo.http", "odoo.addons.clinic_reminder.controllers.main")


class SignedEndpointCases:
    #: secret of the sender at ``KNOWN_CODE``
    SIGNED_SECRET = None
    KNOWN_CODE = None

    def signed_path(self, code):
        raise NotImplementedError

    def accepted_body(self):
        """A JSON-able object the endpoint accepts with 200."""
        raise NotImplementedError

    def writes(self):
        """A snapshot of what a request could write; a refused one must not change it."""
        raise NotImplementedError

    def signed_post(self, raw, code=None, secret=None, timestamp=None, signature=None):
        raw = raw if isinstance(raw, bytes) else json.dumps(raw).encode()
        timestamp = str(int(time.time())) if timestamp is None else str(timestamp)
        # A timestamp that is no integer cannot be signed; sign the body at 0 then.
        signed_at = int(timestamp) if timestamp.lstrip("-").isdigit() else 0
        headers = {
            "Content-Type": "application/json",
            "X-Clinic-Timestamp": timestamp,
            "X-Clinic-Signature": signature or sign(secret or self.SIGNED_SECRET, signed_at, raw),
        }
        return self.url_open(self.signed_path(code or self.KNOWN_CODE), data=raw, headers=headers)

    def assert_refused(self, response, status):
        self.assertEqual(response.status_code, status, response.text[:300])
        self.assertTrue(response.headers.get("Content-Type", "").startswith("application/json"))
        self.assertNotIn("Traceback", response.text)

    @mute_logger(*MUTED)
    def test_t2_signed_accepted(self):
        self.assertEqual(self.signed_post(self.accepted_body()).status_code, 200)

    @mute_logger(*MUTED)
    def test_t2_signed_unknown_code_404(self):
        before = self.writes()
        self.assert_refused(self.signed_post(self.accepted_body(), code="no-such-code"), 404)
        self.assertEqual(self.writes(), before)

    @mute_logger(*MUTED)
    def test_r1_signed_bad_signature_401(self):
        before = self.writes()
        body = self.accepted_body()
        self.assert_refused(self.signed_post(body, secret="guess"), 401)
        self.assert_refused(self.signed_post(body, signature="sha256=00"), 401)
        self.assert_refused(self.signed_post(body, signature="md5=00"), 401)
        self.assertEqual(self.writes(), before)

    @mute_logger(*MUTED)
    def test_r1_signed_stale_or_absurd_timestamp_401(self):
        before = self.writes()
        body = self.accepted_body()
        now = int(time.time())
        # Signed with the right secret: only the clock is wrong. 10**400 overflows a float.
        # 400 s, not 301: the server reads its clock a moment later than we did.
        for timestamp in (now - 400, now + 400, 10**400, -(10**400), "1e3", "", "nan"):
            with self.subTest(timestamp=str(timestamp)[:12]):
                self.assert_refused(self.signed_post(body, timestamp=timestamp), 401)
        self.assertEqual(self.writes(), before)

    @mute_logger(*MUTED)
    def test_r1_signed_oversized_400(self):
        before = self.writes()
        raw = json.dumps(dict(self.accepted_body(), pad="x" * signed_request.MAX_BYTES)).encode()
        self.assert_refused(self.signed_post(raw), 400)
        self.assertEqual(self.writes(), before)

    @mute_logger(*MUTED)
    def test_r1_signed_oversized_chunked_400(self):
        """No Content-Length: the body is read only up to the cap, then refused."""
        before = self.writes()
        timestamp = str(int(time.time()))
        chunk = b" " * 4096
        raw = json.dumps(self.accepted_body()).encode() + chunk * 32
        headers = {
            "Content-Type": "application/json",
            "X-Clinic-Timestamp": timestamp,
            "X-Clinic-Signature": sign(self.SIGNED_SECRET, timestamp, raw),
        }
        parts = iter([raw[i : i + 4096] for i in range(0, len(raw), 4096)])
        response = self.url_open(self.signed_path(self.KNOWN_CODE), data=parts, headers=headers)
        self.assert_refused(response, 400)
        self.assertEqual(self.writes(), before)

    @mute_logger(*MUTED)
    def test_r1_signed_malformed_400(self):
        before = self.writes()
        deep = b"[" * 30_000 + b"]" * 30_000
        utf16 = json.dumps(self.accepted_body()).encode("utf-16")
        for raw in (b"{", b"[1, 2]", b"null", b"\xff\xfe", utf16, deep, b'{"id": ' + deep + b"}"):
            with self.subTest(raw=raw[:12]):
                self.assert_refused(self.signed_post(raw), 400)
        self.assertEqual(self.writes(), before)
