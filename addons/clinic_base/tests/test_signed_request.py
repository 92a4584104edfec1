"""The shared gate of signed requests, without HTTP (T2 contract, C9, R1).

The same gate answered over HTTP by both endpoints: ``signed_endpoint.py``.
"""

import io
from unittest import mock

from odoo.tests import BaseCase, tagged

from ..tools import signed_request as sr
from ..tools.signature import sign

SECRET = "s3cret"
BODY = b'{"id": "x", "status": "delivered"}'


def headers_for(body, timestamp=1000, secret=SECRET, **extra):
    return {
        "X-Clinic-Timestamp": str(timestamp),
        "X-Clinic-Signature": sign(secret, timestamp, body),
        **extra,
    }


@tagged("post_install", "-at_install")
class TestSignedRequest(BaseCase):
    def test_r1_signed_body_returned(self):
        self.assertEqual(sr.verify_request(SECRET, headers_for(BODY), BODY, now=1000), BODY)
        stream = io.BytesIO(BODY)
        self.assertEqual(sr.verify_request(SECRET, headers_for(BODY), stream, now=1000), BODY)
        # A query string signs like its bytes (T11 CallerID); header names are case-insensitive.
        query = "number=%2B49"
        lower = {k.lower(): v for k, v in headers_for(query.encode()).items()}
        self.assertEqual(sr.verify_request(SECRET, lower, query, now=1000), query.encode())

    def test_r1_announced_oversize_refused_unread(self):
        stream = mock.Mock(spec=["read"])
        headers = headers_for(BODY, **{"Content-Length": str(sr.MAX_BYTES + 1)})
        with self.assertRaises(sr.BadRequest) as caught:
            sr.verify_request(SECRET, headers, stream, now=1000)
        self.assertEqual(caught.exception.status, 400)
        with self.assertRaises(sr.BadRequest):
            sr.read_body({"Content-Length": "many"}, stream)
        stream.read.assert_not_called()

    def test_r1_unannounced_oversize_read_one_byte_past_the_cap(self):
        stream = io.BytesIO(b"x" * 100)
        with self.assertRaises(sr.BadRequest):
            sr.read_body({}, stream, max_bytes=10)
        self.assertEqual(stream.tell(), 11, "read up to the cap plus one byte, no further")
        self.assertEqual(sr.read_body({}, io.BytesIO(b"x" * 10), max_bytes=10), b"x" * 10)
        with self.assertRaises(sr.BadRequest):
            sr.read_body({}, b"x" * 11, max_bytes=10)

    def test_r1_bad_signature_or_clock_401(self):
        cases = [
            ({}, 1000),
            (headers_for(BODY, secret="guess"), 1000),
            (headers_for(BODY), 1301),
            (headers_for(BODY, timestamp=10**400), 1000),
            (headers_for(BODY, timestamp=-(10**400)), 1000),
        ]
        for headers, now in cases:
            with self.subTest(headers=str(headers)[:40], now=now):
                with self.assertRaises(sr.Unauthorized) as caught:
                    sr.verify_request(SECRET, headers, BODY, now=now)
                self.assertEqual(caught.exception.status, 401)
                self.assertEqual(caught.exception.public_message(), "invalid signature")

    def test_r1_json_object_or_400(self):
        self.assertEqual(sr.json_object(BODY), {"id": "x", "status": "delivered"})
        deep = b"[" * 50_000 + b"]" * 50_000
        utf16 = '{"a": 1}'.encode("utf-16")
        for body in (b"", b"{", b"[1]", b"null", b"\xff", utf16, deep, b'{"a": ' + deep + b"}"):
            with self.subTest(body=body[:10]), self.assertRaises(sr.BadRequest):
                sr.json_object(body)

    def test_t2_status_codes(self):
        self.assertEqual(
            [sr.BadRequest.status, sr.Unauthorized.status, sr.UnknownSender.status],
            [400, 401, 404],
        )
