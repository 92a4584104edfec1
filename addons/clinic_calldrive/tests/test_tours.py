from datetime import timedelta

from odoo import fields
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

    def test_c4_tour_release_an_over_age_lock(self):
        """A lock older than the limit, holder online: note, offer, release, call."""
        self.operator.password = "clinic_operator_pw"
        call_list = self._confirmation_list()
        boris_line = self._line_of(call_list, self.boris)
        boris_line.with_user(self.operator2).action_start_call()
        long_ago = fields.Datetime.now() - timedelta(minutes=20)
        # sudo: clinic.call.list.line - the test ages the lock, as 20 minutes would
        boris_line.sudo().lock_date = long_ago
        self.env["bus.presence"].create(
            {"user_id": self.operator2.id, "status": "online", "last_poll": fields.Datetime.now()}
        )
        self.env["clinic.call.list.line"]._cron_release_stale_locks()
        self.assertEqual(boris_line.lock_user_id, self.operator2)

        self.start_tour(
            "/odoo/call-drive",
            "clinic_calldrive_release_tour",
            login="clinic_operator",
            password="clinic_operator_pw",
        )

        self.assertEqual(boris_line.lock_user_id, self.operator)
        outcomes = boris_line.attempt_ids.sorted("id").mapped(lambda a: (a.user_id, a.outcome))
        self.assertEqual(outcomes, [(self.operator2, "released"), (self.operator, "open")])
