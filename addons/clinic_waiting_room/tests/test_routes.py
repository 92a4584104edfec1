import json

import requests

from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import WaitingRoomCommon


@tagged("post_install", "-at_install")
class TestPatientRoutes(WaitingRoomCommon, HttpCase):
    def url(self, entry, suffix=""):
        return f"/clinic/wait/{entry.sudo().access_token}{suffix}"

    def test_r3_patient_page_sets_guest_cookie(self):
        response = self.url_open(self.url(self.entry_anna))
        self.assertEqual(response.status_code, 200)
        self.assertIn("clinic_waiting_room.PatientWaiting", response.text)
        self.assertNotIn("Boris", response.text)
        cookie = self.opener.cookies.get("dgid")
        self.assertEqual(cookie, self.entry_anna.guest_id.sudo()._format_auth_cookie())

    @mute_logger("odoo.http")
    def test_r3_wrong_or_expired_token_is_404(self):
        good = self.url(self.entry_anna)
        self.assertEqual(self.url_open("/clinic/wait/" + "A" * 43).status_code, 404)
        self.assertEqual(self.url_open(good[:-2]).status_code, 404)
        self.entry_anna.expires_at = "2000-01-01"
        response = self.url_open(good)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Anna", response.text)
        self.assertIsNone(self.opener.cookies.get("dgid"))
        with self.assertRaises(requests.HTTPError) as caught:
            self.make_jsonrpc_request(good + "/data")
        self.assertEqual(caught.exception.response.status_code, 404)

    def test_r3_data_is_scoped_to_the_token(self):
        self.staff_says(self.entry_anna, "For Anna only")
        self.staff_says(self.entry_boris, "For Boris only")
        data = self.make_jsonrpc_request(self.url(self.entry_anna, "/data"))
        self.assertEqual([m["text"] for m in data["messages"]], ["For Anna only"])
        self.assertEqual(data["patient"], "Anna Schmidt")
        self.assertNotIn("Boris", json.dumps(data))

    @mute_logger("odoo.http")
    def test_r3_guest_cannot_read_another_patients_channel(self):
        """With Anna's guest cookie, Discuss' own routes refuse Boris' conversation."""
        self.staff_says(self.entry_boris, "For Boris only")
        self.url_open(self.url(self.entry_anna))
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/discuss/channel/messages", {"channel_id": self.entry_boris.channel_id.id}
            )
        own = self.make_jsonrpc_request(
            "/discuss/channel/messages", {"channel_id": self.entry_anna.channel_id.id}
        )
        self.assertNotIn("Boris", json.dumps(own))

    @mute_logger("odoo.http")
    def test_w7_join_video_opens_only_own_discuss_call_page(self):
        """The "Join video" link is Discuss' guest page: open for this patient's channel
        with the cookie from their link, closed for another patient's channel."""
        self.entry_anna.with_user(self.operator).action_start_video()
        self.url_open(self.url(self.entry_anna))
        own = self.url_open(f"/discuss/channel/{self.entry_anna.channel_id.id}")
        self.assertEqual(own.status_code, 200)
        other = self.url_open(f"/discuss/channel/{self.entry_boris.channel_id.id}")
        self.assertEqual(other.status_code, 404)
        self.entry_anna.with_user(self.operator).action_finish()
        closed = self.url_open(f"/discuss/channel/{self.entry_anna.channel_id.id}")
        self.assertEqual(closed.status_code, 404)

    def test_w4_patient_posts_text_over_http(self):
        result = self.make_jsonrpc_request(
            self.url(self.entry_anna, "/post"), {"body": "<script>alert(1)</script>"}
        )
        self.assertEqual(result["message"]["text"], "<script>alert(1)</script>")
        self.assertEqual(result["message"]["from"], "patient")
        message = self.env["mail.message"].browse(result["message"]["id"])
        self.assertNotIn("<script>", message.body)
        self.assertEqual(self.entry_anna.exchange_count, 1)
        self.assertEqual(self.entry_anna.counter_colour, "orange")

    @mute_logger("odoo.http")
    def test_w4_patient_post_refused_when_disabled(self):
        self.set_guest_messaging(False)
        with self.assertRaises(requests.HTTPError) as caught:
            self.make_jsonrpc_request(self.url(self.entry_anna, "/post"), {"body": "hello"})
        self.assertEqual(caught.exception.response.status_code, 403)
        self.assertEqual(self.entry_anna.exchange_count, 0)

    @mute_logger("odoo.http")
    def test_r3_plain_user_gets_access_error_over_rpc(self):
        self.authenticate("clinic_plain", "clinic_plain")
        with self.assertRaises(JsonRpcException) as ctx:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/clinic.waiting.entry/search_read",
                {
                    "model": "clinic.waiting.entry",
                    "method": "search_read",
                    "args": [[]],
                    "kwargs": {"fields": ["patient_id"]},
                },
            )
        self.assertIn("AccessError", str(ctx.exception))

    def test_w11_leaving_page_says_so(self):
        """The page's pagehide beacon: the guest is offline, the visit "left"."""
        entry = self.entry_anna
        self.page_opens(entry)
        self.assertEqual(entry.presence, "here")
        # navigator.sendBeacon: a POST without a body
        response = self.opener.post(self.base_url() + self.url(entry, "/leave"), timeout=12)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(entry.presence, "left")

    @mute_logger("odoo.http")
    def test_w11_leave_with_a_wrong_link_404(self):
        self.page_opens(self.entry_anna)
        url = f"{self.base_url()}/clinic/wait/{'A' * 43}/leave"
        response = self.opener.post(url, timeout=12)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.entry_anna.presence, "here")
