"""T10 for a clinic manager who is not Odoo's administrator (issue 17): pause and resume from
the clinic settings and the bottom control, who paused when, everyone told at once."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import TelephonyCommon
from .test_access import OtherCompanyMixin


class ManagerCommon(OtherCompanyMixin, TelephonyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Head of front desk: a clinic manager, not linked to telephony, no Odoo admin right.
        cls.manager = new_test_user(
            cls.env,
            login="clinic_head",
            name="Sabine Head",
            groups="clinic_base.group_clinic_manager",
        )


@tagged("post_install", "-at_install")
class TestManagerPause(ManagerCommon, TransactionCase):
    def test_t10_manager_pauses_and_everyone_of_the_clinic_is_told(self):
        self.assertFalse(self.manager.has_group("base.group_system"))
        self.clear_bus()
        self.env["res.users"].with_user(self.manager).clinic_telephony_set_paused(True)
        company = self.env.company
        self.assertTrue(company.clinic_telephony_paused)
        self.assertEqual(company.clinic_telephony_paused_by_id, self.manager)
        self.assertTrue(company.clinic_telephony_paused_date)
        for user in (self.operator, self.operator2, self.manager):
            self.assertEqual(
                self.bus_payloads("clinic_telephony/paused", user.partner_id), [{"paused": True}]
            )
        # The second clinic's operator and unlinked plain users are not concerned.
        for user in (self.operator_b, self.plain_user):
            self.assertFalse(self.bus_payloads("clinic_telephony/paused", user.partner_id))

    def test_t10_operators_see_who_paused_and_since_when(self):
        self.env["res.users"].with_user(self.manager).clinic_telephony_set_paused(True)
        info = self.env["res.users"].with_user(self.operator).clinic_telephony_session_info()
        self.assertEqual(info["paused_by"], "Sabine Head")
        self.assertTrue(info["paused_since"])
        self.assertFalse(info["can_pause"])
        manager_info = self.env["res.users"].with_user(self.manager).clinic_telephony_session_info()
        self.assertTrue(manager_info["can_pause"])
        self.assertFalse(manager_info["enabled"])  # the control shows; no phone to choose
        self.env["res.users"].with_user(self.manager).clinic_telephony_set_paused(False)
        info = self.env["res.users"].with_user(self.operator).clinic_telephony_session_info()
        self.assertEqual((info["paused"], info["paused_by"]), (False, False))
        self.assertFalse(self.env.company.clinic_telephony_paused_by_id)

    def test_t10_paused_means_no_card_and_no_outgoing_call(self):
        self.env["res.users"].with_user(self.manager).clinic_telephony_set_paused(True)
        self.clear_bus()
        self.play("paused-in", ["call.ringing"])
        self.assertFalse(self.bus_payloads("clinic_telephony/call", self.operator.partner_id))
        with self.assertRaisesRegex(UserError, "Telephony is paused"):
            self.env["clinic.call"].with_user(self.operator).dial("030 1234567")

    def test_t10_operator_cannot_pause(self):
        with self.assertRaises(AccessError):
            self.env["res.users"].with_user(self.operator).clinic_telephony_set_paused(True)
        settings = self.env["clinic.settings"].with_user(self.manager).create({})
        with self.assertRaises(AccessError):
            settings.with_user(self.operator).action_pause_telephony()
        self.assertFalse(self.env.company.clinic_telephony_paused)


@tagged("post_install", "-at_install")
class TestManagerSettings(ManagerCommon, TransactionCase):
    def test_17_settings_pause_and_resume(self):
        settings = self.env["clinic.settings"].with_user(self.manager).create({})
        self.assertEqual(settings.action_pause_telephony()["tag"], "soft_reload")
        settings = self.env["clinic.settings"].with_user(self.manager).create({})
        self.assertTrue(settings.clinic_telephony_paused)
        self.assertEqual(settings.clinic_telephony_paused_by_id, self.manager)
        settings.action_resume_telephony()
        self.assertFalse(self.env.company.clinic_telephony_paused)

    def test_17_manager_links_users_of_the_clinic_only(self):
        newcomer = new_test_user(
            self.env, login="clinic_newcomer", groups="clinic_base.group_clinic_operator"
        )
        Settings = self.env["clinic.settings"].with_user(self.manager)
        settings = Settings.create({})
        self.assertEqual(settings.clinic_telephony_user_ids, self.operator | self.operator2)
        # The second clinic's operator is neither shown nor changed from here.
        users = self.operator | newcomer | self.operator_b
        Settings.create({"clinic_telephony_user_ids": [(6, 0, users.ids)]})
        self.assertTrue(newcomer.clinic_telephony_allowed)
        self.assertFalse(self.operator2.clinic_telephony_allowed)
        self.assertTrue(self.operator_b.clinic_telephony_allowed)
        Settings.create({"clinic_telephony_user_ids": [(6, 0, self.operator.ids)]})
        self.assertFalse(newcomer.clinic_telephony_allowed)
        self.assertTrue(self.operator_b.clinic_telephony_allowed)

    def test_17_manager_sets_recording_retention(self):
        self.env["clinic.settings"].with_user(self.manager).create(
            {"clinic_recording_retention_days": 30}
        )
        self.assertEqual(self.env.company.clinic_recording_retention_days, 30)
        self.assertEqual(self.company2.clinic_recording_retention_days, 90)


@tagged("post_install", "-at_install")
class TestPauseOverRpc(ManagerCommon, HttpCase):
    def _set_paused(self, login):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "res.users",
                "method": "clinic_telephony_set_paused",
                "args": [True],
                "kwargs": {},
            },
        )

    def test_t10_operator_refused_over_rpc(self):
        with self.assertRaises(JsonRpcException) as caught:
            self._set_paused("clinic_operator")
        self.assertIn("AccessError", str(caught.exception))
        self.assertFalse(self.env.company.clinic_telephony_paused)

    def test_t10_manager_pauses_over_rpc(self):
        self._set_paused("clinic_head")
        self.assertTrue(self.env.company.clinic_telephony_paused)
        self.assertEqual(self.env.company.clinic_telephony_paused_by_id, self.manager)
