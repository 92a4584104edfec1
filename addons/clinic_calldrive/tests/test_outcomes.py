from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import CallDriveCommon


@tagged("post_install", "-at_install")
class TestOutcomes(CallDriveCommon, TransactionCase):
    def _work(self, line, result, comment=False, user=None):
        line = line.with_user(user or self.operator)
        line.action_start_call()
        line.action_finish(result.id, comment)

    def test_c3_unsuccessful_comment_reappears(self):
        call_list = self._confirmation_list()
        line = self._line_of(call_list, self.anna)
        self._work(line, self.result_no_answer, "Voicemail, try after 5 pm")
        self.assertEqual(line.state, "todo")
        self.assertFalse(line.lock_user_id)
        self.assertEqual(line.last_comment, "Voicemail, try after 5 pm")
        self.assertEqual(line.last_result_id, self.result_no_answer)
        self.assertEqual(self.event_anna.clinic_state, "booked")
        # Next time the row is selected, the operator screen shows it.
        card = line.with_user(self.operator2).operator_card()
        self.assertEqual(card["last_comment"], "Voicemail, try after 5 pm")
        self.assertEqual(card["last_result"], "No answer")
        rows = {row["id"]: row for row in line.list_id.operator_rows()}
        self.assertEqual(rows[line.id]["last_result"], "No answer")
        attempt = line.attempt_ids
        self.assertEqual(
            (attempt.result_id, attempt.comment, attempt.outcome),
            (self.result_no_answer, "Voicemail, try after 5 pm", "finished"),
        )
        self.assertTrue(attempt.end)

    def test_c3_attempt_history_on_patient(self):
        line = self._line_of(self._confirmation_list(), self.anna)
        self._work(line, self.result_no_answer, "Busy tone")
        self._work(line, self.result_confirmed, user=self.operator2)
        anna = self.anna.with_user(self.operator)
        self.assertEqual(anna.clinic_call_attempt_count, 2)
        action = anna.action_open_clinic_call_attempts()
        attempts = self.env["clinic.call.attempt"].search(action["domain"])
        self.assertEqual(attempts.user_id, self.operator | self.operator2)
        self.assertEqual(self.boris.with_user(self.operator).clinic_call_attempt_count, 0)

    def test_c3_success_confirms_appointment_state(self):
        call_list = self._confirmation_list()
        line = self._line_of(call_list, self.anna)
        self._work(line, self.result_confirmed)
        self.assertEqual(line.state, "done")
        self.assertEqual(self.event_anna.clinic_state, "confirmed")
        self.assertNotIn(line.id, [r["id"] for r in call_list.operator_rows()])

    def test_c3_success_confirms_with_tag_per_setting(self):
        tag = self.env["calendar.event.type"].create({"name": "Confirmed by phone"})
        self.env.company.write(
            {"clinic_call_confirm_mode": "tag", "clinic_call_confirm_tag_id": tag.id}
        )
        line = self._line_of(self._confirmation_list(), self.anna)
        self._work(line, self.result_confirmed)
        self.assertIn(tag, self.event_anna.categ_ids)
        self.assertEqual(self.event_anna.clinic_state, "booked")

    def test_c3_success_marks_task_done(self):
        activity = self.anna.activity_schedule(
            "mail.mail_activity_data_call", summary="Lab results", user_id=self.operator.id
        )
        call_list = self.env["clinic.call.list"].create({"name": "Tasks", "kind": "task"})
        call_list._add_activities(activity)
        line = call_list.line_ids
        self._work(line, self.result_task_done, "Results explained")
        self.assertFalse(activity.exists())
        self.assertEqual(line.state, "done")
        feedback = self.anna.message_ids.filtered(lambda m: "Results explained" in (m.body or ""))
        self.assertTrue(feedback)

    def test_c3_success_processes_adhoc_item(self):
        call_list = self.env["clinic.call.list"].create({"name": "Recall", "kind": "adhoc"})
        line = call_list._add_partners(self.carl)
        self._work(line, self.result_done)
        self.assertEqual(line.state, "done")
        self.assertEqual(call_list.done_count, 1)
        self.assertEqual(call_list.todo_count, 0)

    def test_c3_result_must_fit_the_list_kind(self):
        line = self._line_of(self._confirmation_list(), self.anna).with_user(self.operator)
        line.action_start_call()
        with self.assertRaises(UserError):
            line.action_finish(self.result_task_done.id)
        self.assertEqual(line.lock_user_id, self.operator)

    def test_c3_comment_required_by_result(self):
        line = self._line_of(self._confirmation_list(), self.anna).with_user(self.operator)
        line.action_start_call()
        with self.assertRaisesRegex(UserError, "comment is required"):
            line.action_finish(self.result_call_back.id, "  ")
        line.action_finish(self.result_call_back.id, "Call after lunch")
        self.assertEqual(line.last_comment, "Call after lunch")

    def test_c3_results_offered_per_kind(self):
        call_list = self._confirmation_list()
        names = [r["name"] for r in call_list.operator_results()]
        self.assertIn("Confirmed", names)
        self.assertIn("No answer", names)
        self.assertNotIn("Task done", names)
