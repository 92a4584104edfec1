from odoo.addons.clinic_telephony.tests.common import TelephonyCommon
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCallDriveDial(TelephonyCommon, TransactionCase):
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
