"""Issue 11.1 reproduced over JSON-RPC as a front-desk operator: the fields that carry
access to a visit's conversation cannot be pointed elsewhere, and the operations
that act with full rights check the conversation is the visit's own."""

import requests

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import WaitingRoomCommon

SECRET = "Salary talk: between the two of us"


@tagged("post_install", "-at_install")
class TestAccessFields(WaitingRoomCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = new_test_user(cls.env, login="clinic_colleague", groups="base.group_user")
        # a private chat between two colleagues, the operator is not in it
        cls.chat = (
            cls.env["discuss.channel"]
            .with_user(cls.colleague)
            .channel_get(partners_to=cls.operator2.partner_id.ids)
        )
        cls.chat.with_user(cls.colleague).message_post(
            body=SECRET, message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def setUp(self):
        super().setUp()
        self.authenticate("clinic_operator", "clinic_operator")

    def rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assert_refused(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as caught, mute_logger("odoo.http"):
            self.rpc(model, method, *args, **kwargs)
        self.assertIn("AccessError", str(caught.exception))

    def test_11_1_access_fields_cannot_be_written(self):
        entry = self.entry_anna
        for vals in (
            {"channel_id": self.chat.id},
            {"guest_id": self.entry_boris.guest_id.id},
            {"access_token": "a-token-I-chose-myself-and-can-type-into-a-url"},
            {"expires_at": "2999-01-01 00:00:00"},
            {"consultant_id": self.operator2.id},
            {"exchange_count": 0},
            {"state": "finished"},
            {"presence": "here"},
            {"arrival_dt": "2000-01-01 00:00:00"},
            {"device_status": "ready"},
            {"patient_id": self.boris.id},
        ):
            with self.subTest(vals=vals):
                self.assert_refused("clinic.waiting.entry", "write", entry.ids, vals)
        self.env.invalidate_all()
        self.assertEqual(entry.channel_id.clinic_waiting_entry_id, entry)
        self.assertNotEqual(entry.sudo().access_token[:5], "a-tok")
        self.assertEqual(entry.state, "waiting")
        # nor at creation
        self.assert_refused(
            "clinic.waiting.entry",
            "create",
            {"patient_id": self.boris.id, "room_id": self.room.id, "channel_id": self.chat.id},
        )
        # what operators may set is still theirs
        self.rpc("clinic.waiting.entry", "write", entry.ids, {"appointment_id": False})

    def test_11_1_a_chat_cannot_claim_to_be_a_visit(self):
        group = (
            self.env["discuss.channel"]
            .with_user(self.operator)
            .create_group(partners_to=self.operator2.partner_id.ids)
        )
        self.assert_refused(
            "discuss.channel", "write", group.ids, {"clinic_waiting_entry_id": self.entry_anna.id}
        )
        self.assert_refused(
            "discuss.channel",
            "create",
            {"name": "x", "channel_type": "group", "clinic_waiting_entry_id": self.entry_anna.id},
        )

    def test_11_1_a_visit_pointed_at_a_chat_reaches_nothing(self):
        """Even when a visit's row points at someone else's chat (data from before the
        fix), nothing acting with full rights follows it."""
        entry = self.entry_anna
        self.env.cr.execute(
            "UPDATE clinic_waiting_entry SET channel_id = %s WHERE id = %s",
            (self.chat.id, entry.id),
        )
        self.env.invalidate_all()
        self.assert_refused("clinic.waiting.entry", "get_conversation", entry.ids)
        self.assert_refused("clinic.waiting.entry", "action_start_video", entry.ids)
        self.assert_refused("clinic.waiting.entry", "action_notify", entry.ids, "hello?")
        self.env.invalidate_all()
        self.assertNotIn(self.operator.partner_id, self.chat.channel_member_ids.partner_id)
        self.assertEqual(entry.state, "waiting")
        # the patient link shows nothing of the chat
        self.authenticate(None, None)
        with self.assertRaises(requests.HTTPError) as caught, mute_logger("odoo.http"):
            self.make_jsonrpc_request(f"/clinic/wait/{entry.sudo().access_token}/data")
        self.assertEqual(caught.exception.response.status_code, 403)
        self.assertNotIn(SECRET, caught.exception.response.text)
