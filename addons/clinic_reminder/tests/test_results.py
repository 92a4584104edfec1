"""C15: every list kind ships its results; reminder and follow-up results act on the visit."""

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import ClinicReminderCommon


@tagged("post_install", "-at_install")
class TestReminderResults(ClinicReminderCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit, cls.campaign = cls.make_sent_campaign(cls.anna, 9)
        cls.call_list = cls.campaign.list_id
        cls.line = cls.call_list.line_ids
        cls.will_come = cls.env.ref("clinic_reminder.result_reminder_will_come")
        cls.reschedule = cls.env.ref("clinic_reminder.result_reminder_reschedule")
        cls.cancel = cls.env.ref("clinic_reminder.result_reminder_cancel")
        cls.no_answer = cls.env.ref("clinic_calldrive.result_no_answer")

    def finish(self, result, comment=""):
        line = self.line.with_user(self.operator)
        line.action_start_call(manual=True)
        line.action_finish(result.id, comment)

    def test_c15_reminder_and_followup_lists_offer_their_results(self):
        followup = self.env["clinic.call.list"].create({"name": "Morning", "kind": "followup"})
        for call_list, will_come in (
            (self.call_list, self.will_come),
            (followup, self.env.ref("clinic_reminder.result_followup_will_come")),
        ):
            offered = call_list.with_user(self.operator).operator_results()
            names = [result["name"] for result in offered]
            for name in ("Will come", "Reschedule", "Cancel", "No answer"):
                self.assertIn(name, names)
            self.assertEqual(offered[0]["id"], will_come.id)
            self.assertTrue(offered[0]["is_success"])

    def test_c15_will_come_confirms_the_appointment(self):
        self.finish(self.will_come)
        self.assertEqual(self.line.state, "done")
        self.assertEqual(self.visit.clinic_state, "confirmed")
        self.assertEqual(self.line.last_result_id, self.will_come)

    def test_c15_will_come_follows_the_confirmation_setting(self):
        tag = self.env["calendar.event.type"].create({"name": "Confirmed by phone"})
        self.company.write(
            {"clinic_call_confirm_mode": "tag", "clinic_call_confirm_tag_id": tag.id}
        )
        self.finish(self.will_come)
        self.assertIn(tag, self.visit.categ_ids)
        self.assertEqual(self.visit.clinic_state, "booked")

    def test_c15_reschedule_asks_for_another_date(self):
        self.finish(self.reschedule, "Wants Friday")
        self.assertEqual(self.visit.clinic_state, "reschedule")
        self.assertEqual(self.line.state, "done")

    def test_c15_cancel_cancels_the_appointment(self):
        self.finish(self.cancel)
        self.assertEqual(self.visit.clinic_state, "cancelled")
        self.assertEqual(self.line.state, "done")

    def test_c15_no_answer_keeps_the_row(self):
        self.finish(self.no_answer, "Voicemail")
        self.assertEqual(self.line.state, "todo")
        self.assertFalse(self.line.lock_user_id)
        self.assertEqual(self.visit.clinic_state, "booked")

    def test_c15_followup_comment_rule_comes_from_the_server(self):
        followup = self.env["clinic.call.list"].create({"name": "Morning", "kind": "followup"})
        offered = followup.with_user(self.operator).operator_results()
        self.assertTrue(offered)
        self.assertTrue(all(result["comment_required"] for result in offered))
        reminder = self.call_list.with_user(self.operator).operator_results()
        self.assertFalse({r["id"]: r["comment_required"] for r in reminder}[self.will_come.id])
        row = followup.line_ids.create(
            {"list_id": followup.id, "partner_id": self.anna.id, "event_id": self.visit.id}
        )
        row = row.with_user(self.operator)
        row.action_start_call(manual=True)
        will_come = self.env.ref("clinic_reminder.result_followup_will_come")
        with self.assertRaisesRegex(UserError, "comment is required"):
            row.action_finish(will_come.id, "   ")
        row.action_finish(will_come.id, "Answered, will come")
        self.assertEqual(self.visit.clinic_state, "confirmed")
