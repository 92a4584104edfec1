from odoo.tests import HttpCase, tagged

from .common import CallDriveCommon


@tagged("post_install", "-at_install")
class TestCallDriveTours(CallDriveCommon, HttpCase):
    def test_c1_c4_tour_operator_works_the_confirmation_list(self):
        """Pick a list, see another operator's lock, call, finish twice, abort a crashed row."""
        self.operator.password = "clinic_operator_pw"
        call_list = self._confirmation_list()
        self._line_of(call_list, self.boris).with_user(self.operator2).action_start_call()
        # A call the tour's operator left open when their browser crashed.
        carl_line = self._line_of(call_list, self.carl)
        carl_line.with_user(self.operator).action_start_call()

        self.start_tour(
            "/odoo/call-drive",
            "clinic_calldrive_operator_tour",
            login="clinic_operator",
            password="clinic_operator_pw",
        )

        anna_line = self._line_of(call_list, self.anna)
        self.assertEqual(anna_line.state, "done")
        self.assertEqual(self.event_anna.clinic_state, "confirmed")
        self.assertEqual(
            anna_line.attempt_ids.sorted("id").mapped("result_id"),
            self.result_no_answer | self.result_confirmed,
        )
        self.assertEqual(
            anna_line.attempt_ids.sorted("id")[0].comment, "Voicemail, call after five"
        )
        self.assertFalse(carl_line.lock_user_id)
        self.assertEqual(carl_line.attempt_ids.outcome, "aborted")
        self.assertEqual(self._line_of(call_list, self.boris).lock_user_id, self.operator2)
