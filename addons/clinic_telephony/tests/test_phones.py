"""Phones and shifts (T1), pause (T10), session info for the web client."""

import psycopg2

from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import TelephonyCommon


@tagged("post_install", "-at_install")
class TestPhones(TelephonyCommon, TransactionCase):
    def test_t1_session_info_asks_for_shift_choice(self):
        info = self.env["res.users"].with_user(self.operator2).clinic_telephony_session_info()
        self.assertTrue(info["enabled"])
        self.assertTrue(info["needs_shift_choice"])
        self.assertFalse(info["phone"])
        self.assertFalse(info["single_phone"])
        holders = {p["extension"]: p["holder"] for p in info["phones"]}
        self.assertEqual(holders["101"], {"id": self.operator.id, "name": self.operator.name})
        self.assertFalse(holders["102"])

    def test_t1_choose_free_phone(self):
        Users = self.env["res.users"].with_user(self.operator2)
        self.assertEqual(Users.clinic_telephony_set_phone(self.phone2.id), {"status": "ok"})
        info = Users.clinic_telephony_session_info()
        self.assertFalse(info["needs_shift_choice"])
        self.assertEqual(info["phone"]["id"], self.phone2.id)

    def test_t1_not_working_with_telephony_counts_as_answer(self):
        Users = self.env["res.users"].with_user(self.operator)
        self.assertEqual(Users.clinic_telephony_set_phone(False), {"status": "ok"})
        self.assertFalse(self.phone1.user_id)
        info = Users.clinic_telephony_session_info()
        self.assertFalse(info["needs_shift_choice"])
        self.assertFalse(info["phone"])

    def test_t1_occupied_phone_needs_confirmation(self):
        Users = self.env["res.users"].with_user(self.operator2)
        answer = Users.clinic_telephony_set_phone(self.phone1.id)
        self.assertEqual(answer, {"status": "occupied", "holder": self.operator.name})
        self.assertEqual(self.phone1.user_id, self.operator)

    def test_t1_takeover_notifies_previous_holder(self):
        self.clear_bus()
        Users = self.env["res.users"].with_user(self.operator2)
        self.assertEqual(
            Users.clinic_telephony_set_phone(self.phone1.id, force=True), {"status": "ok"}
        )
        self.assertEqual(self.phone1.user_id, self.operator2)
        self.assertFalse(self.operator.clinic_phone_id)
        notices = self.bus_payloads("clinic_telephony/phone_taken", self.operator.partner_id)
        self.assertEqual(notices, [{"phone": "Front desk 1", "by": self.operator2.name}])

    def test_t1_one_phone_per_user(self):
        Users = self.env["res.users"].with_user(self.operator)
        Users.clinic_telephony_set_phone(self.phone2.id)
        self.assertEqual(self.operator.clinic_phone_id, self.phone2)
        self.assertFalse(self.phone1.user_id)

    def test_t5_unlinking_releases_phone(self):
        self.operator.clinic_telephony_allowed = False
        self.assertFalse(self.phone1.user_id)

    def test_t1_single_phone_warning_flag(self):
        self.phone2.active = False
        info = self.env["res.users"].with_user(self.operator).clinic_telephony_session_info()
        self.assertTrue(info["single_phone"])

    def test_t1_unlinked_user_cannot_take_phone(self):
        with self.assertRaises(AccessError):
            self.env["res.users"].with_user(self.plain_user).clinic_telephony_set_phone(
                self.phone2.id
            )
        info = self.env["res.users"].with_user(self.plain_user).clinic_telephony_session_info()
        self.assertFalse(info["enabled"])
        self.assertFalse(info["needs_shift_choice"])

    def test_t1_session_info_lists_active_calls(self):
        self.play("live-1", ["call.ringing", "call.answered"])
        self.play("done-1", ["call.ringing", "call.ended"])
        info = self.env["res.users"].with_user(self.operator).clinic_telephony_session_info()
        self.assertEqual([c["state"] for c in info["active_calls"]], ["talking"])

    def test_t10_pause_manager_only_and_broadcast(self):
        with self.assertRaises(AccessError):
            self.env["res.users"].with_user(self.operator).clinic_telephony_set_paused(True)
        self.clear_bus()
        self.env["res.users"].clinic_telephony_set_paused(True)
        info = self.env["res.users"].with_user(self.operator).clinic_telephony_session_info()
        self.assertTrue(info["paused"])
        self.assertEqual(
            self.bus_payloads("clinic_telephony/paused", self.operator.partner_id),
            [{"paused": True}],
        )
        self.assertFalse(self.bus_payloads("clinic_telephony/paused", self.plain_user.partner_id))

    def test_t10_settings_pause_and_linked_users(self):
        settings = Form(self.env["clinic.settings"])
        self.assertIn(self.operator, settings.clinic_telephony_user_ids)
        settings.clinic_telephony_user_ids.remove(self.operator.id)
        settings.save().action_pause_telephony()
        self.assertTrue(self.env["res.users"]._clinic_telephony_paused())
        self.assertEqual(self.env.company.clinic_telephony_paused_by_id, self.env.user)
        self.assertFalse(self.operator.clinic_telephony_allowed)


@tagged("post_install", "-at_install")
class TestPbxConfiguration(TelephonyCommon, TransactionCase):
    def test_t2_pbx_code_is_url_safe_and_unique(self):
        Pbx = self.env["clinic.pbx"]
        for code in ("with space", "a/b", "test"):
            with self.assertRaises(psycopg2.Error), mute_logger("odoo.sql_db"):
                with self.env.cr.savepoint():
                    Pbx.create({"name": "Bad", "code": code})
        pbx = Pbx.create({"name": "Second", "code": "branch-2_b"})
        self.assertEqual(pbx.webhook_path, "/clinic/telephony/branch-2_b/events")
        self.assertEqual(len(pbx.secret), 64, "a random 256-bit secret by default")

    def test_t1_extension_unique_per_pbx_and_one_holder(self):
        Phone = self.env["clinic.telephony.phone"]
        with self.assertRaises(psycopg2.Error), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                Phone.create({"name": "Dup", "extension": "101", "pbx_id": self.pbx.id})
        with self.assertRaises(psycopg2.Error), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.phone2.user_id = self.operator
                self.phone2.flush_recordset()

    def test_t2_secret_hidden_from_operators(self):
        with self.assertRaises(AccessError):
            self.pbx.with_user(self.operator).read(["secret", "ari_password"])
