import re
from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import ClinicReminderCommon


@tagged("post_install", "-at_install")
class TestResponsePage(ClinicReminderCommon, HttpCase):
    """The patient's personal link (C8, R3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna_visit = cls.make_visit(cls.anna, cls.tomorrow, 9)
        cls.boris_visit = cls.make_visit(cls.boris, cls.tomorrow, 10)
        (cls.anna_visit | cls.boris_visit)._clinic_reminder_ensure_token()

    def page(self, event):
        return f"/clinic/r/{event.clinic_reminder_token}"

    def choose(self, event, choice):
        page = self.url_open(self.page(event))
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open(f"{self.page(event)}/{choice}", data={"csrf_token": csrf})

    def test_r3_token_is_long_random_and_per_appointment(self):
        token = self.anna_visit.clinic_reminder_token
        self.assertGreaterEqual(len(token), 22)  # >= 128 bits in URL-safe base64
        self.assertNotEqual(token, self.boris_visit.clinic_reminder_token)

    def test_c8_page_shows_only_own_appointment(self):
        page = self.url_open(self.page(self.anna_visit))
        self.assertEqual(page.status_code, 200)
        self.assertIn("Anna Schmidt", page.text)
        self.assertNotIn("Boris", page.text)
        self.assertNotIn("0151", page.text, "no phone numbers on the page")

    def test_c8_choices_update_the_appointment(self):
        self.assertEqual(self.choose(self.anna_visit, "confirm").status_code, 200)
        self.assertEqual(self.anna_visit.clinic_state, "confirmed")
        self.assertEqual(self.anna_visit.clinic_reminder_response, "confirm")
        self.assertEqual(self.boris_visit.clinic_state, "booked", "other visits untouched")
        self.choose(self.anna_visit, "reschedule")
        self.assertEqual(self.anna_visit.clinic_state, "reschedule")
        self.choose(self.anna_visit, "cancel")
        self.assertEqual(self.anna_visit.clinic_state, "cancelled")
        self.assertEqual(self.anna_visit.clinic_reminder_response, "cancel")

    def test_r3_wrong_token_is_a_plain_404(self):
        token = self.anna_visit.clinic_reminder_token
        altered = token[:-1] + ("B" if token[-1] == "A" else "A")
        for url in ("/clinic/r/" + "x" * 43, "/clinic/r/short", f"/clinic/r/{altered}"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Anna", response.text)

    def test_r3_expired_after_the_appointment(self):
        past = self.anna_visit.start - timedelta(days=3)
        self.anna_visit.write({"start": past, "stop": past + timedelta(minutes=30)})
        self.assertEqual(self.url_open(self.page(self.anna_visit)).status_code, 404)

    def test_r3_other_patients_token_cannot_change_my_visit(self):
        response = self.choose(self.boris_visit, "cancel")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.boris_visit.clinic_state, "cancelled")
        self.assertEqual(self.anna_visit.clinic_state, "booked")
        self.assertNotIn("Anna", response.text)

    def test_r3_bad_choice_404_and_no_csrf_refused(self):
        self.assertEqual(self.choose(self.anna_visit, "delete").status_code, 404)
        no_csrf = self.url_open(self.page(self.anna_visit) + "/cancel", data={"x": "1"})
        self.assertNotEqual(no_csrf.status_code, 200)
        self.assertEqual(self.anna_visit.clinic_state, "booked")


@tagged("post_install", "-at_install")
class TestLinkOpened(ClinicReminderCommon, HttpCase):
    """C6: "blue = delivered, link not opened": opening the link is tracked too."""

    def test_c6_opening_the_link_turns_the_row_cyan(self):
        visit, campaign = self.make_sent_campaign(self.anna, 9)
        self.apply_reports(self.messenger, self.gw_messenger)
        row = campaign.list_id.line_ids
        self.assertEqual(row.reminder_colour, "blue")
        self.authenticate(None, None)
        self.assertEqual(self.url_open(f"/clinic/r/{visit.clinic_reminder_token}").status_code, 200)
        visit.invalidate_recordset()
        row.invalidate_recordset()
        self.assertTrue(visit.clinic_reminder_opened_date)
        self.assertEqual(row.reminder_colour, "cyan")
        first = visit.clinic_reminder_opened_date
        self.url_open(f"/clinic/r/{visit.clinic_reminder_token}")
        visit.invalidate_recordset()
        self.assertEqual(visit.clinic_reminder_opened_date, first, "the first opening counts")
        # A choice outweighs the visit.
        visit._clinic_reminder_respond("confirm")
        self.assertEqual(row.reminder_colour, "green")
