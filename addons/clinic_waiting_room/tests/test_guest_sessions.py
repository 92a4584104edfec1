"""Issue 11.4 reproduced over HTTP with the patient's guest cookie: what a guest may
do through Discuss' own routes is checked against the visit at the moment of use,
and the guest's membership ends with the visit."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import WaitingRoomCommon


@tagged("post_install", "-at_install")
class TestGuestSessions(WaitingRoomCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.entry = self.entry_anna
        self.channel = self.entry.channel_id
        self.earlier = self.patient_says(self.entry, "Hello, I am here")
        self.staff_says(self.entry, "Welcome")
        self.staff_message = self.channel.sudo().message_ids.filtered(
            lambda m: m.author_id == self.operator.partner_id
        )
        # the patient opens their link: the guest cookie is set
        self.authenticate(None, None)
        self.url_open(f"/clinic/wait/{self.entry.sudo().access_token}")

    def post(self, body="Hi"):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "discuss.channel",
                "thread_id": self.channel.id,
                "post_data": {"body": body, "message_type": "comment"},
            },
        )

    def edit(self):
        return self.make_jsonrpc_request(
            "/mail/message/update_content",
            {"message_id": self.earlier.id, "body": "I am Dr. Weber", "attachment_ids": []},
        )

    def react(self):
        return self.make_jsonrpc_request(
            "/mail/message/reaction",
            {"message_id": self.staff_message.id, "content": "👍", "action": "add"},
        )

    def rename(self):
        return self.make_jsonrpc_request(
            "/mail/guest/update_name", {"guest_id": self.entry.guest_id.id, "name": "Dr. Weber"}
        )

    def join_call(self):
        return self.make_jsonrpc_request(
            "/mail/rtc/channel/join_call", {"channel_id": self.channel.id}
        )

    def assert_refused(self, action):
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            action()

    def test_11_4_allowed_while_the_clinic_allows_messages(self):
        self.post("Still here")
        self.edit()
        self.react()
        self.env.invalidate_all()
        self.assertIn("Dr. Weber", self.earlier.body)
        self.assertEqual(self.entry.exchange_count, 3)

    def test_11_4_messaging_off_refuses_post_edit_and_react(self):
        self.set_guest_messaging(False)
        for action in (self.post, self.edit, self.react):
            with self.subTest(action=action.__name__):
                self.assert_refused(action)
        self.env.invalidate_all()
        self.assertEqual(self.earlier.body, "<p>Hello, I am here</p>")
        self.assertFalse(self.staff_message.reaction_ids)

    def test_11_4_a_patient_cannot_rename_themselves(self):
        self.assert_refused(self.rename)
        self.assertEqual(self.entry.guest_id.name, "Anna Schmidt")

    def test_11_4_the_call_only_once_staff_brought_them_in(self):
        self.assert_refused(self.join_call)
        # sudo: discuss.channel.rtc.session - checking no call started
        self.assertFalse(self.channel.sudo().rtc_session_ids)
        self.entry.with_user(self.operator).action_start_video()
        self.join_call()
        self.assertTrue(self.channel.sudo().rtc_session_ids.guest_id)

    def test_11_4_an_expired_link_refuses_at_once(self):
        """Before the clean-up job ran: the check is made when the guest acts."""
        self.entry.sudo().expires_at = fields.Datetime.now() - timedelta(seconds=1)
        for action in (self.post, self.edit, self.react, self.join_call):
            with self.subTest(action=action.__name__):
                self.assert_refused(action)

    def test_11_4_the_clean_up_runs_when_the_link_expires(self):
        self.env.flush_all()
        trigger = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.env.ref("clinic_waiting_room.ir_cron_finish_expired_visits").id)]
        )
        self.assertIn(self.entry.expires_at, trigger.mapped("call_at"))
        self.entry.sudo().expires_at = fields.Datetime.now() - timedelta(seconds=1)
        self.env["clinic.waiting.entry"]._cron_finish_expired()
        self.assertEqual(self.entry.state, "finished")
        self.assertFalse(self.channel.channel_member_ids.guest_id)
        # the guest cookie no longer opens the channel
        self.assert_refused(self.post)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.make_jsonrpc_request("/discuss/channel/messages", {"channel_id": self.channel.id})

    def test_11_4_staff_read_guest_messages_as_text(self):
        body = (
            '<p>See <a href="https://evil.example/x">my page</a>'
            '<img src="https://evil.example/pixel.png"></p>'
        )
        self.post(body)
        message = self.channel.sudo().message_ids[0]
        self.assertEqual(message.author_guest_id, self.entry.guest_id)
        self.assertNotIn("<a", message.body)
        self.assertNotIn("<img", message.body)
        self.assertIn("See my page", message.body)
        self.assertFalse(message.sudo().link_preview_ids)

    def test_11_4_no_files_from_guests(self):
        attachment = self.env["ir.attachment"].create(
            {"name": "x.txt", "raw": b"x", "res_model": "discuss.channel", "res_id": 0}
        )
        with self.assertRaises(JsonRpcException) as caught, mute_logger("odoo.http"):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "discuss.channel",
                    "thread_id": self.channel.id,
                    "post_data": {
                        "body": "file",
                        "message_type": "comment",
                        "attachment_ids": attachment.ids,
                    },
                    "attachment_tokens": attachment.generate_access_token(),
                },
            )
        self.assertEqual(str(caught.exception), "odoo.exceptions.UserError")
        guest_channel = self.channel.with_user(self.env.ref("base.public_user")).with_context(
            guest=self.entry.guest_id
        )
        with self.assertRaisesRegex(UserError, "Files cannot be sent"):
            guest_channel.message_post(body="file", attachment_ids=attachment.ids)
