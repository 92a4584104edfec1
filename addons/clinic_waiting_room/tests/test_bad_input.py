"""Strangers' bad input on the patient routes: a 4xx with a short message, never a
traceback or a 500 (R3, issue 11.8). One test per reproduction, over HTTP."""

import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import WaitingRoomCommon

JSON = {"Content-Type": "application/json"}


@tagged("post_install", "-at_install")
class TestPatientRoutesBadInput(WaitingRoomCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.authenticate(None, None)
        self.token = self.entry_anna.sudo().access_token

    def post(self, suffix, raw, token=None):
        url = f"/clinic/wait/{token or self.token}{suffix}"
        return self.url_open(url, data=raw, headers=JSON)

    def call(self, suffix, params, token=None):
        raw = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        return self.post(suffix, raw, token)

    def assert_short_refusal(self, response, status, message=None):
        self.assertEqual(response.status_code, status, response.text[:300])
        self.assertNotIn("Traceback", response.text)
        self.assertNotIn("debug", response.text)
        if message is not None:
            self.assertEqual(response.json()["error"]["message"], message)

    def test_r3_json_route_without_body_400(self):
        self.assert_short_refusal(self.post("/data", b""), 400)

    def test_r3_json_route_with_params_not_an_object_400(self):
        for raw in (b'{"params": [1]}', b'{"params": "x"}', b"[1]", b"null"):
            with self.subTest(raw=raw):
                self.assert_short_refusal(self.post("/data", raw), 400)

    def test_r3_post_without_body_param_400(self):
        self.assert_short_refusal(self.call("/post", {}), 400, "body must be a text")
        self.assertEqual(self.entry_anna.exchange_count, 0)

    def test_r3_post_with_body_not_a_text_400(self):
        for body in (5, None, ["hi"], {"html": "<b>x</b>"}):
            with self.subTest(body=body):
                response = self.call("/post", {"body": body})
                self.assert_short_refusal(response, 400, "body must be a text")

    def test_r3_post_empty_message_400(self):
        response = self.call("/post", {"body": "   "})
        self.assert_short_refusal(response, 400, "Write a message first.")

    def test_r3_unknown_token_on_json_routes_404(self):
        for suffix, params in (("/data", {}), ("/post", {"body": "hi"})):
            with self.subTest(suffix=suffix):
                response = self.call(suffix, params, token="A" * 43)
                self.assert_short_refusal(response, 404, "Unknown or expired link")

    @mute_logger("odoo.http")
    def test_r3_nul_in_the_link_404(self):
        for path in ("/clinic/wait/%00", "/clinic/wait/%00" + "A" * 42):
            with self.subTest(path=path[:20]):
                self.assert_short_refusal(self.url_open(path), 404)
        self.assert_short_refusal(self.call("/data", {}, token="%00" + "A" * 42), 404)

    def test_r3_patient_page_is_not_cached(self):
        response = self.url_open(f"/clinic/wait/{self.token}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers.get("Cache-Control"), "no-store")
