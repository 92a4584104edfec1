"""Shared HMAC request signatures (T2 contract, T11, C9, R1)."""

import time

from odoo.tests import BaseCase, tagged

from ..tools import signature


@tagged("post_install", "-at_install")
class TestSignature(BaseCase):
    SECRET = "s3cret"
    BODY = b'{"id": "x", "status": "delivered"}'

    def test_r1_valid_signature_accepted(self):
        now = int(time.time())
        header = signature.sign(self.SECRET, now, self.BODY)
        self.assertTrue(header.startswith("sha256="))
        self.assertTrue(signature.verify(self.SECRET, str(now), header, self.BODY))
        # str payloads (a CallerID query string) sign like their UTF-8 bytes
        self.assertEqual(
            signature.sign(self.SECRET, now, "number=%2B49"),
            signature.sign(self.SECRET.encode(), now, b"number=%2B49"),
        )

    def test_r1_tampering_refused(self):
        header = signature.sign(self.SECRET, 1000, self.BODY)
        cases = [
            ("other", "1000", header, self.BODY),
            (self.SECRET, "1000", header, self.BODY + b" "),
            (self.SECRET, "1001", header, self.BODY),
            (self.SECRET, "1000", header.replace("sha256=", "sha1="), self.BODY),
            (self.SECRET, "1000", None, self.BODY),
            (self.SECRET, None, header, self.BODY),
            (self.SECRET, "abc", header, self.BODY),
            (self.SECRET, "", "", self.BODY),
            ("", "1000", header, self.BODY),
        ]
        for secret, ts, sig, body in cases:
            with self.subTest(secret=secret, ts=ts, sig=sig, body=body):
                with self.assertRaises(signature.SignatureError):
                    signature.verify(secret, ts, sig, body, now=1000)

    def test_r1_stale_timestamp_refused(self):
        header = signature.sign(self.SECRET, 1000, self.BODY)
        self.assertTrue(signature.verify(self.SECRET, "1000", header, self.BODY, now=1300))
        for now in (1301, 699):
            with self.subTest(now=now), self.assertRaises(signature.StaleTimestamp):
                signature.verify(self.SECRET, "1000", header, self.BODY, now=now)

    def test_r1_unsigned_request_learns_nothing_about_freshness(self):
        with self.assertRaises(signature.SignatureError) as caught:
            signature.verify(self.SECRET, "1", "sha256=00", self.BODY, now=10**9)
        self.assertNotIsInstance(caught.exception, signature.StaleTimestamp)
