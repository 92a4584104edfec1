from odoo.addons.clinic_telephony.tests.common import CommandsMixin, TelephonyCommon
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCallDriveDial(CommandsMixin, TelephonyCommon, TransactionCase):
    def setUp(self):
        super().setUp()
        call_list = self.env["clinic.call.list"].create({"name": "Recall", "kind": "adhoc"})
        self.line = call_list._add_partners(self.anna)

    def _calls(self):
        # sudo: clinic.call - the test checks which calls were placed
        return self.env["clinic.call"].sudo().search([("partner_id", "=", self.anna.id)])

    def test_c2_start_call_dials_through_telephony(self):
        line = self.line.with_user(self.operator)
        self.assertTrue(line.operator_card()["can_dial"])
        action = line.action_start_call()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(line.lock_user_id, self.operator)
        call = self._calls()
        self.assertEqual(len(call), 1)
        self.assertEqual((call.user_id, call.direction), (self.operator, "outbound"))

    def test_c2_manual_mode_does_not_dial(self):
        self.assertFalse(self.line.with_user(self.operator).action_start_call(manual=True))
        self.assertEqual(self.line.lock_user_id, self.operator)
        self.assertFalse(self._calls())

    def test_c2_without_a_phone_the_operator_calls_by_hand(self):
        line = self.line.with_user(self.operator2)
        self.assertFalse(line.operator_card()["can_dial"])
        self.assertFalse(line.action_start_call())
        self.assertEqual(self.line.lock_user_id, self.operator2)
        self.assertFalse(self._calls())

    def test_t12_call_refused_by_the_pbx_leaves_the_row_free(self):
        self.fake_pbx.status = 500
        line = self.line.with_user(self.operator)
        # Odoo's assertRaises rolls back like the request would: the lock goes with it.
        with (
            self.assertLogs("odoo.addons.clinic_telephony.models.clinic_pbx_command", "WARNING"),
            self.assertRaises(UserError) as caught,
        ):
            line.action_start_call()
        self.assertIn("HTTP 500", str(caught.exception))
        self.assertFalse(self.line.lock_user_id)
        self.assertEqual(self.fake_pbx.requests, 1)
