"""The signed webhook and CallerID endpoint over HTTP (SPEC T2 contract, T11, R1)."""

import json
import time
from urllib.parse import urlencode

from odoo.addons.clinic_base.tests.signed_endpoint import SignedEndpointCases
from odoo.addons.clinic_base.tools.signature import sign
from odoo.tests import HttpCase, tagged

from .common import TelephonyCommon, event_dict


@tagged("post_install", "-at_install")
class TestWebhook(TelephonyCommon, HttpCase):
    def post(self, body, code="test", secret="s3cret", timestamp=None, signature=None):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        timestamp = str(int(time.time())) if timestamp is None else str(timestamp)
        headers = {
            "Content-Type": "application/json",
            "X-Clinic-Timestamp": timestamp,
            "X-Clinic-Signature": signature or sign(secret, timestamp, raw),
        }
        return self.url_open(f"/clinic/telephony/{code}/events", data=raw, headers=headers)

    def counts(self):
        return (
            self.env["clinic.call"].search_count([]),
            self.env["clinic.call.event"].search_count([]),
        )

    def assert_rejected(self, response, status):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.json()["status"], "error")

    def test_t2_ok_then_duplicate(self):
        body = event_dict("w-1", "call.ringing", "wc-1")
        response = self.post(body)
        self.assertEqual((response.status_code, response.json()), (200, {"status": "ok"}))
        before = self.counts()
        response = self.post(body)
        self.assertEqual((response.status_code, response.json()), (200, {"status": "duplicate"}))
        self.assertEqual(self.counts(), before)
        call = self.call("wc-1")
        self.assertEqual((call.state, call.partner_id), ("ringing", self.anna))

    def test_r1_wrong_types_400(self):
        before = self.counts()
        body = dict(event_dict("w-2", "call.ringing", "wc-2"), call_id=["x"])
        self.assert_rejected(self.post(body), 400)
        self.assertEqual(self.counts(), before)

    def test_t2_unknown_pbx_404(self):
        before = self.counts()
        self.assert_rejected(self.post(event_dict("w-6", "call.ringing", "wc-6"), code="nope"), 404)
        self.pbx.active = False
        self.assert_rejected(self.post(event_dict("w-6", "call.ringing", "wc-6")), 404)
        self.assertEqual(self.counts(), before)

    def test_t2_new_secret_applies_at_once(self):
        # The PBX's code and secret are cached per worker; changing them must not let the
        # old secret in, nor keep the new one out.
        body = event_dict("w-7", "call.ringing", "wc-7")
        self.assertEqual(self.post(body).status_code, 200)
        self.pbx.secret = "rotated"
        self.assert_rejected(self.post(dict(body, event_id="w-8")), 401)
        self.assertEqual(self.post(dict(body, event_id="w-8"), secret="rotated").status_code, 200)
        self.pbx.code = "renamed"
        self.assert_rejected(self.post(dict(body, event_id="w-9"), secret="rotated"), 404)
        response = self.post(dict(body, event_id="w-9"), code="renamed", secret="rotated")
        self.assertEqual(response.json(), {"status": "ok"})

    def test_t2_get_not_allowed(self):
        response = self.url_open("/clinic/telephony/test/events")
        self.assertEqual(response.status_code, 405)

    def test_t11_callerid_name(self):
        def lookup(number, secret="s3cret"):
            query = urlencode({"number": number})
            timestamp = str(int(time.time()))
            headers = {
                "X-Clinic-Timestamp": timestamp,
                "X-Clinic-Signature": sign(secret, timestamp, query),
            }
            return self.url_open(f"/clinic/telephony/test/callerid?{query}", headers=headers)

        response = lookup("+49301234567")
        self.assertEqual((response.status_code, response.json()), (200, {"name": "Anna Schmidt"}))
        self.assertEqual(lookup("0405551234").json(), {"name": None}, "ambiguous: no name")
        self.assertEqual(lookup("0899999999").json(), {"name": None})
        self.assertEqual(lookup("+49301234567", secret="x").status_code, 401)


@tagged("post_install", "-at_install")
class TestWebhookSignedGate(SignedEndpointCases, TelephonyCommon, HttpCase):
    """The webhook answers like every signed endpoint (clinic_base's verify_request)."""

    SIGNED_SECRET = "s3cret"
    KNOWN_CODE = "test"

    def signed_path(self, code):
        return f"/clinic/telephony/{code}/events"

    def accepted_body(self):
        return event_dict("gate-1", "call.ringing", "gate-c1")

    def writes(self):
        return (
            self.env["clinic.call"].search_count([]),
            self.env["clinic.call.event"].search_count([]),
        )

    def test_r1_out_of_range_event_timestamp_400(self):
        before = self.writes()
        for moment in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"):
            body = dict(self.accepted_body(), timestamp=moment)
            self.assert_refused(self.signed_post(body), 400)
        self.assertEqual(self.writes(), before)
