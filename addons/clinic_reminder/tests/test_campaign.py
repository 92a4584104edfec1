import json
from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import ClinicReminderCommon

FAIL_NUMBER = "+4915100000002"


@tagged("post_install", "-at_install")
class TestCampaign(ClinicReminderCommon, TransactionCase):
    MESSENGER_OUTCOMES = {FAIL_NUMBER: "fail"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.p1 = cls.make_patient("Paula Eins", "+4915100000001")
        cls.p2 = cls.make_patient("Peter Zwei", FAIL_NUMBER)
        cls.p3 = cls.make_patient("Petra Drei", "+4915100000003")
        cls.v_late = cls.make_visit(cls.p1, cls.tomorrow, 15)
        cls.v_early = cls.make_visit(cls.p2, cls.tomorrow, 9)
        cls.v_mid = cls.make_visit(cls.p3, cls.tomorrow, 11, 30)
        cls.v_today = cls.make_visit(cls.p3, cls.today, 23, 30)
        cls.v_after = cls.make_visit(cls.p1, cls.tomorrow + timedelta(days=1), 9)
        cls.Campaign = cls.env["clinic.reminder.campaign"]

    def run_cron_at(self, day, hour, minute=0):
        with freeze_time(self.local_to_utc(day, hour, minute)):
            self.Campaign._cron_run()
            self.dispatch()

    def campaign(self):
        return self.Campaign.search([("date", "=", self.tomorrow)])

    def test_c5_cron_waits_for_campaign_time_and_runs_once(self):
        self.run_cron_at(self.today, 11, 50)
        self.assertFalse(self.campaign())
        self.run_cron_at(self.today, 12, 5)
        campaign = self.campaign()
        self.assertEqual(len(campaign), 1)
        self.run_cron_at(self.today, 12, 20)
        self.assertEqual(len(self.campaign()), 1)
        self.assertEqual(len(self.messenger.sent), 3, "one messenger message per visit")

    def test_c5_configurable_time(self):
        self.company.clinic_reminder_hour = 14.5
        self.run_cron_at(self.today, 14, 0)
        self.assertFalse(self.campaign())
        self.run_cron_at(self.today, 14, 31)
        self.assertTrue(self.campaign())

    def test_c5_list_is_chronological_and_next_day_only(self):
        self.run_cron_at(self.today, 12, 5)
        lines = self.campaign().list_id.line_ids.sorted("sequence")
        self.assertEqual(self.campaign().list_id.kind, "reminder")
        self.assertEqual(lines.event_id, self.v_early | self.v_mid | self.v_late)
        self.assertEqual(lines.mapped("event_id"), self.v_early + self.v_mid + self.v_late)

    def test_c5_template_filled_in(self):
        self.run_cron_at(self.today, 12, 5)
        (text,) = self.messenger.texts_to("+4915100000003")
        self.assertIn("Petra Drei", text)
        self.assertIn(self.practitioner.name, text)
        self.assertIn(self.tomorrow.strftime("%m/%d/%Y"), text)  # en_US date format
        self.assertIn("11:30", text)
        self.assertIn("/clinic/r/", text)

    def test_c5_template_translated(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.p3.lang = "de_DE"
        template = self.env.ref("clinic_reminder.sms_template_appointment_notification")
        template.with_context(lang="de_DE").body = "Hallo {{ object.patient_id.name }}"
        self.run_cron_at(self.today, 12, 5)
        self.assertEqual(self.messenger.texts_to("+4915100000003"), ["Hallo Petra Drei"])

    def test_c5_template_shipped_in_russian_and_german(self):
        for lang, greeting in (
            ("ru_RU", "Здравствуйте, Petra Drei!"),
            ("de_DE", "Guten Tag Petra"),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["clinic_reminder"], [lang])
                self.p3.lang = lang
                self.v_mid.invalidate_recordset()
                template = self.env.ref("clinic_reminder.sms_template_appointment_notification")
                body = template._render_field("body", self.v_mid.ids, compute_lang=True)
                self.assertIn(greeting, body[self.v_mid.id])
                self.assertIn("11:30", body[self.v_mid.id])

    def test_p4_template_placeholders_render_without_sandbox(self):
        # Declared safe, the shipped placeholders render by plain field access
        # (no safe_eval per record), and operators may edit the template.
        template = self.env.ref("clinic_reminder.sms_template_appointment_notification")
        Render = self.env["mail.render.mixin"]
        for text in (template.body, template.lang):
            self.assertFalse(
                Render._has_unsafe_expression_template_inline_template(text, "calendar.event")
            )

    def test_p4_queueing_queries_do_not_grow_with_the_list(self):
        def queue_queries(day, patients):
            for hour, patient in enumerate(patients, start=7):
                self.make_visit(patient, day, hour)
            campaign = self.Campaign.create({"date": day})
            lines = campaign._build_list().line_ids
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            campaign._queue(lines, "messenger")
            self.env.flush_all()
            return len(lines), self.env.cr.sql_log_count - before

        few = [self.make_patient(f"Few {i}", f"+49152000000{i}") for i in range(2)]
        many = [self.make_patient(f"Many {i}", f"+49153000000{i:02d}") for i in range(12)]
        small = queue_queries(self.tomorrow + timedelta(days=3), few)
        large = queue_queries(self.tomorrow + timedelta(days=4), many)
        self.assertEqual((small[0], large[0]), (2, 12))
        self.assertLessEqual(large[1], small[1] + 2, f"queries: {small[1]} -> {large[1]}")

    def test_c5_sms_fallback_for_failed_messenger(self):
        self.run_cron_at(self.today, 12, 5)
        self.assertFalse(self.sms.sent)
        self.apply_reports(self.messenger, self.gw_messenger)
        # The failure queued an SMS; the dispatch cron sends it.
        self.dispatch()
        self.assertEqual([m["to"] for m in self.sms.sent.values()], [FAIL_NUMBER])

    def test_c5_not_connected_goes_straight_to_sms(self):
        self.gw_messenger.kind = "telegram"  # nobody has a chat with the bot
        self.run_cron_at(self.today, 12, 5)
        messages = self.campaign().message_ids
        self.assertEqual(
            set(messages.filtered(lambda m: m.channel == "messenger").mapped("state")), {"failed"}
        )
        self.assertEqual(len(self.sms.sent), 3)

    def test_c10_late_delivery_after_fallback_sends_nothing_more(self):
        self.run_cron_at(self.today, 12, 5)
        self.apply_reports(self.messenger, self.gw_messenger)
        self.dispatch()
        failed = self.campaign().message_ids.filtered(
            lambda m: m.channel == "messenger" and m.partner_id == self.p2
        )
        # Duplicate failure, then the late "delivered": still one SMS.
        self.assertFalse(
            self.gw_messenger._process_callback(
                {"id": failed.provider_message_id, "status": "failed"}
            )
        )
        self.assertTrue(
            self.gw_messenger._process_callback(
                {"id": failed.provider_message_id, "status": "delivered"}
            )
        )
        self.dispatch()
        self.run_cron_at(self.today, 19, 5)  # evening SMS round
        self.assertEqual(len(self.sms.texts_to(FAIL_NUMBER)), 1)

    def test_c10_one_message_per_appointment_channel_and_campaign(self):
        self.run_cron_at(self.today, 12, 5)
        message = self.campaign().message_ids[:1]
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            message.copy({"reference": "another"})

    def test_c10_dispatching_again_sends_nothing(self):
        self.run_cron_at(self.today, 12, 5)
        self.assertEqual(len(self.messenger.sent), 3)
        self.dispatch()
        self.dispatch()
        self.assertEqual(len(self.messenger.sent), 3)

    def test_c10_free_text_outside_window_is_refused(self):
        self.run_cron_at(self.today, 12, 5)
        message = self.campaign().message_ids[:1]
        free = message.copy(
            {
                "is_template": False,
                "channel": "messenger",
                "campaign_id": self.Campaign.create({"date": self.today}).id,
            }
        )
        self.dispatch()
        self.assertEqual(free.state, "failed")
        self.assertIn("window", free.error)

    def test_c6_colours_follow_messages_answers_and_marks(self):
        self.run_cron_at(self.today, 12, 5)
        lines = self.campaign().list_id.line_ids
        row = {line.partner_id: line for line in lines}
        self.assertEqual(set(lines.mapped("reminder_colour")), {"grey"})
        self.apply_reports(self.messenger, self.gw_messenger)
        self.assertEqual(row[self.p1].reminder_colour, "blue")
        self.assertEqual(row[self.p2].reminder_colour, "grey")
        self.v_late._clinic_reminder_respond("confirm")
        self.assertEqual(row[self.p1].reminder_colour, "green")
        self.assertEqual(self.v_late.clinic_state, "confirmed")
        self.v_mid._clinic_reminder_respond("cancel")
        self.assertEqual(row[self.p3].reminder_colour, "red")
        row[self.p2].with_user(self.operator).action_reminder_toggle_handled()
        self.assertEqual(row[self.p2].reminder_colour, "pink")
        row[self.p2].with_user(self.operator).action_reminder_toggle_handled()
        self.assertEqual(row[self.p2].reminder_colour, "grey")
        needs_call = self.env["clinic.call.list.line"].search(
            [("list_id", "=", self.campaign().list_id.id), ("reminder_needs_call", "=", True)]
        )
        self.assertEqual(needs_call.partner_id, self.p2 | self.p3)

    def test_c6_operator_screen_filters_needs_a_call(self):
        self.run_cron_at(self.today, 12, 5)
        call_list = self.campaign().list_id.with_user(self.operator)
        self.apply_reports(self.messenger, self.gw_messenger)  # p1 blue, p2 grey
        self.v_mid._clinic_reminder_respond("confirm")  # p3 green
        confirmation = self.env["clinic.call.list"]._fill_confirmation(self.tomorrow)
        offered = {data["id"]: data["row_filters"] for data in call_list.operator_lists()}
        self.assertEqual([f["name"] for f in offered[call_list.id]], ["needs_call", "replied"])
        self.assertEqual(offered[confirmation.id], [])

        def shown(**filters):
            rows = call_list.operator_rows(filters=filters)
            return self.env["res.partner"].browse([row["partner"]["id"] for row in rows])

        self.assertEqual(shown(), self.p2 | self.p3 | self.p1)
        self.assertEqual(shown(needs_call=True), self.p2 | self.p1)
        # Marked by hand: the answer tells the screen the row needs no call any more.
        p2_row = call_list.line_ids.filtered(lambda line: line.partner_id == self.p2)
        payload = p2_row.with_user(self.operator).action_reminder_toggle_handled()
        self.assertEqual(payload["lines"], [[p2_row.id, "pink"]])
        self.assertEqual(payload["needs_call"], [])
        self.assertEqual(shown(needs_call=True), self.p1)
        payload = p2_row.with_user(self.operator).action_reminder_toggle_handled()
        self.assertEqual(payload["needs_call"], [p2_row.id])
        self.assertEqual(shown(needs_call=True), self.p2 | self.p1)

    def test_c1_confirmation_by_reminder_takes_the_row_off_the_confirmation_list(self):
        confirmation = self.env["clinic.call.list"]._fill_confirmation(self.tomorrow)
        row = confirmation.line_ids.filtered(lambda line: line.event_id == self.v_mid)
        self.assertEqual(row.state, "todo")
        # sudo: calendar.event - acts as the public response page does
        self.v_mid.sudo()._clinic_reminder_respond("reschedule")
        self.assertEqual(row.state, "todo", "still to call: the visit must be moved")
        self.v_mid.sudo()._clinic_reminder_respond("confirm")
        self.assertEqual(row.state, "cancelled")

    def test_c6_colour_change_goes_out_on_the_bus(self):
        self.run_cron_at(self.today, 12, 5)
        call_list = self.campaign().list_id
        self.env["bus.bus"].search([]).unlink()
        self.apply_reports(self.messenger, self.gw_messenger)
        self.env.cr.precommit.run()
        notes = [
            (note.channel, json.loads(note.message))
            for note in self.env["bus.bus"].search([])
            if "clinic_reminder/colour" in note.message
        ]
        self.assertTrue(notes)
        for channel, message in notes:
            self.assertEqual(json.loads(channel)[1:], ["clinic.call.list", call_list.id])
            self.assertEqual(message["payload"]["list_id"], call_list.id)
            self.assertNotIn("Paula", json.dumps(message), "no patient data on the bus")

    def test_c7_evening_sms_for_rows_still_blue(self):
        self.run_cron_at(self.today, 12, 5)
        self.apply_reports(self.messenger, self.gw_messenger)
        self.dispatch()
        self.v_late._clinic_reminder_respond("confirm")  # green: no SMS
        self.run_cron_at(self.today, 18, 55)
        self.assertEqual(len(self.sms.sent), 1)  # only the fallback so far
        self.run_cron_at(self.today, 19, 5)
        self.assertEqual(len(self.sms.texts_to("+4915100000003")), 1)  # blue -> SMS
        self.assertEqual(len(self.sms.texts_to("+4915100000001")), 0)  # green
        self.assertEqual(len(self.sms.texts_to(FAIL_NUMBER)), 1)  # fallback only
        self.run_cron_at(self.today, 21, 0)
        self.assertEqual(len(self.sms.sent), 2)

    def test_c7_followup_holds_unconfirmed_and_needs_comment(self):
        self.run_cron_at(self.today, 12, 5)
        self.apply_reports(self.messenger, self.gw_messenger)
        self.dispatch()
        self.v_late._clinic_reminder_respond("confirm")
        self.run_cron_at(self.tomorrow, 7, 30)
        self.assertFalse(self.campaign().followup_list_id)
        self.run_cron_at(self.tomorrow, 8, 5)
        followup = self.campaign().followup_list_id
        self.assertEqual(followup.kind, "followup")
        self.assertEqual(followup.line_ids.event_id, self.v_early | self.v_mid)
        result = self.env.ref("clinic_reminder.result_followup_will_come")
        line = followup.line_ids[:1].with_user(self.operator)
        line.action_start_call()
        with self.assertRaises(UserError):
            line.action_finish(result.id, "")
        line.action_finish(result.id, "Answered, will come")
        self.assertEqual(line.state, "done")
        self.assertEqual(line.event_id.clinic_state, "confirmed")
