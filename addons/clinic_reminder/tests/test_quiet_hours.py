"""C13: quiet hours in the clinic's time zone, and appointments booked after the campaign."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import ClinicReminderCommon


@tagged("post_install", "-at_install")
class TestQuietHours(ClinicReminderCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "clinic_reminder_quiet_start": 21.0,
                "clinic_reminder_quiet_end": 8.0,
                "clinic_reminder_hour": 20.9,  # 20:54
                "clinic_reminder_messenger_gateway_id": False,  # SMS only: one per visit
            }
        )
        cls.patients = [cls.make_patient(f"Quiet {n}", f"+4915200000{n:02d}") for n in range(5)]
        cls.visits = [cls.make_visit(p, cls.tomorrow, 9 + n) for n, p in enumerate(cls.patients)]
        cls.Campaign = cls.env["clinic.reminder.campaign"]
        cls.Message = cls.env["clinic.reminder.message"]

    def test_c13_defaults(self):
        company = self.env["res.company"].create({"name": "New clinic"})
        self.assertEqual(
            (company.clinic_reminder_quiet_start, company.clinic_reminder_quiet_end), (21.0, 8.0)
        )

    def test_c13_campaign_at_2055_sends_until_21_and_the_rest_at_8(self):
        Gateway = type(self.env["clinic.reminder.gateway"])
        send_all = Gateway._send_all
        with freeze_time(self.local_to_utc(self.today, 20, 55)) as clock:

            def slow_send(gateway, messages):
                result = send_all(gateway, messages)
                clock.tick(timedelta(minutes=2))  # each batch takes two minutes
                return result

            self.Campaign._cron_run()
            with patch.object(Gateway, "_send_all", slow_send):
                # (freezegun moves the monotonic clock too: a long enough run)
                self.Message._dispatch_outbox(commit=False, batch_size=1, seconds=3600)
            # 20:55, 20:57, 20:59: three went out; at 21:01 the rest waits.
            self.assertEqual(len(self.sms.sent), 3)
            campaign = self.Campaign.search([("date", "=", self.tomorrow)])
            waiting = campaign.message_ids.filtered(lambda m: m.state == "queued")
            self.assertEqual(len(waiting), 2)
            # The dispatcher asked to be woken when the night ends (08:00 Berlin).
            morning = self.local_to_utc(self.tomorrow, 8)
            triggers = self.env["ir.cron.trigger"].search(
                [("cron_id", "=", self.env.ref("clinic_reminder.ir_cron_dispatch").id)]
            )
            self.assertIn(morning, triggers.mapped("call_at"))
        for hour, minute in ((23, 30), (3, 0), (7, 59)):
            day = self.today if hour > 12 else self.tomorrow
            with freeze_time(self.local_to_utc(day, hour, minute)):
                self.dispatch()
            self.assertEqual(len(self.sms.sent), 3, f"nothing at {hour}:{minute:02d}")
        with freeze_time(self.local_to_utc(self.tomorrow, 8, 0)):
            self.dispatch()
        self.assertEqual(len(self.sms.sent), 5)
        self.assertEqual(set(waiting.mapped("state")), {"sent"})

    def test_c13_queued_at_night_shows_when_it_leaves(self):
        campaign = self.Campaign.create({"date": self.tomorrow})
        with freeze_time(self.local_to_utc(self.today, 22, 10)):
            campaign.action_send()
            self.dispatch()
        self.assertFalse(self.sms.sent)
        self.assertEqual(
            set(campaign.message_ids.mapped("scheduled_date")),
            {self.local_to_utc(self.tomorrow, 8)},
        )

    def test_c13_quiet_hours_follow_the_clinic_time_zone(self):
        # 21:30 in Berlin is 12:30 in Los Angeles: a clinic there sends.
        self.company.clinic_tz = "America/Los_Angeles"
        campaign = self.Campaign.create({"date": self.tomorrow})
        with freeze_time(self.local_to_utc(self.today, 21, 30)):
            campaign.action_send()
            self.dispatch()
        self.assertEqual(len(self.sms.sent), 5)


@tagged("post_install", "-at_install")
class TestLateBookings(ClinicReminderCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.early = cls.make_visit(
            cls.make_patient("Early Bird", "+4915300000001"), cls.tomorrow, 10
        )
        cls.Campaign = cls.env["clinic.reminder.campaign"]

    def cron(self, hour, minute=0):
        with freeze_time(self.local_to_utc(self.today, hour, minute)):
            self.Campaign._cron_run()
            self.dispatch()

    def test_c13_booked_after_the_campaign_is_reminded_once(self):
        self.cron(12, 5)
        campaign = self.Campaign.search([("date", "=", self.tomorrow)])
        self.assertEqual(len(self.messenger.sent), 1)
        late_patient = self.make_patient("Late Booker", "+4915300000002")
        late = self.make_visit(late_patient, self.tomorrow, 8)
        # Moved into tomorrow from the day after: reminded too.
        moved = self.make_visit(self.boris, self.tomorrow + timedelta(days=1), 11)
        moved.write(
            {
                "start": self.local_to_utc(self.tomorrow, 11),
                "stop": self.local_to_utc(self.tomorrow, 11, 30),
            }
        )
        self.cron(14, 0)
        self.cron(14, 15)
        self.cron(14, 30)
        self.assertEqual(len(self.messenger.texts_to("+4915300000002")), 1)
        self.assertEqual(len(self.messenger.texts_to("+79162345678")), 1)
        self.assertEqual(len(self.messenger.sent), 3, "nobody twice")
        rows = campaign.list_id.line_ids.sorted("sequence")
        self.assertEqual(rows.event_id, late + self.early + moved, "still chronological")
