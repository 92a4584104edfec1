from types import SimpleNamespace
from unittest.mock import patch

from odoo.addons.bus.models import ir_websocket as bus_websocket
from odoo.addons.mail.models.discuss import mail_guest
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import WaitingRoomCommon


@tagged("post_install", "-at_install")
class TestAccess(WaitingRoomCommon, TransactionCase):
    def test_r3_plain_user_cannot_read_visits(self):
        with self.assertRaises(AccessError):
            self.env["clinic.waiting.entry"].with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            self.entry_anna.with_user(self.plain_user).get_conversation()
        with self.assertRaises(AccessError):
            self.entry_anna.with_user(self.plain_user).action_notify("hi")
        with self.assertRaises(AccessError):
            self.room.with_user(self.plain_user).get_dashboard_data()

    def test_r3_operator_cannot_manage_rooms_or_delete_visits(self):
        with self.assertRaises(AccessError):
            self.env["clinic.waiting.room"].with_user(self.operator).create({"name": "X"})
        with self.assertRaises(AccessError):
            self.entry_anna.with_user(self.operator).unlink()

    def test_r3_other_company_visits_are_invisible(self):
        other = self.env["res.company"].create({"name": "Other clinic"})
        room = self.env["clinic.waiting.room"].create({"name": "Far away", "company_id": other.id})
        entry = self.env["clinic.waiting.entry"].create(
            {"patient_id": self.anna.id, "room_id": room.id}
        )
        visible = self.env["clinic.waiting.entry"].with_user(self.operator).search([])
        self.assertNotIn(entry, visible)
        self.assertIn(self.entry_anna, visible)

    def channels_for(self, user, channel):
        # bus and mail read the session and guest cookie of the websocket request
        fake_request = SimpleNamespace(
            cookies={}, env=self.env(user=user), session=SimpleNamespace(uid=user.id)
        )
        with (
            patch.object(mail_guest, "wsrequest", fake_request),
            patch.object(bus_websocket, "wsrequest", fake_request),
        ):
            channels = self.env["ir.websocket"].with_user(user)._build_bus_channel_list([channel])
        rooms = [c for c in channels if getattr(c, "_name", None) == "clinic.waiting.room"]
        strings = [c for c in channels if isinstance(c, str)]
        return rooms, strings

    def test_r3_room_bus_channel_only_for_operators(self):
        channel = f"clinic.waiting.room_{self.room.id}"
        rooms, strings = self.channels_for(self.operator, channel)
        self.assertEqual(rooms, [self.room])
        self.assertNotIn(channel, strings)
        for user in (self.plain_user, self.env.ref("base.public_user")):
            rooms, strings = self.channels_for(user, channel)
            self.assertEqual(rooms, [])
            self.assertNotIn(channel, strings)


@tagged("post_install", "-at_install")
class TestTokens(WaitingRoomCommon, TransactionCase):
    def test_r3_token_is_random_and_long(self):
        tokens = {self.entry_anna.access_token, self.entry_boris.access_token}
        self.assertEqual(len(tokens), 2)
        for token in tokens:
            self.assertGreaterEqual(len(token), 43)  # 32 random bytes, url-safe base64

    def test_r3_token_finds_only_its_own_live_visit(self):
        Entry = self.env["clinic.waiting.entry"]
        self.assertEqual(Entry._get_by_token(self.entry_anna.access_token), self.entry_anna)
        for bad in (
            "",
            None,
            "x" * 43,
            self.entry_anna.access_token[:-1],
            self.entry_anna.access_token + "x",
            "a" * 500,
            12,
        ):
            self.assertFalse(Entry._get_by_token(bad), bad)

    def test_r3_expired_token_gives_nothing(self):
        token = self.entry_anna.access_token
        self.entry_anna.expires_at = "2000-01-01 00:00:00"
        self.assertFalse(self.env["clinic.waiting.entry"]._get_by_token(token))

    def test_r3_token_hidden_from_plain_users(self):
        field = self.env["clinic.waiting.entry"]._fields["access_token"]
        self.assertEqual(field.groups, "clinic_base.group_clinic_operator")
