"""Strangers' bad input on the reminder routes: a 4xx, never a 500; the patient's page is
not cached (R3, C8, C9, issue 11.8). One test per reproduction, over HTTP."""

import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ClinicReminderCommon

NUL_TOKEN = "%00" + "A" * 42  # a token's length, with a NUL PostgreSQL refuses in text


@tagged("post_install", "-at_install")
class TestReminderRoutesBadInput(ClinicReminderCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit = cls.make_visit(cls.anna, cls.tomorrow, 9)
        cls.visit._clinic_reminder_ensure_token()

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def assert_refused(self, response, status):
        self.assertEqual(response.status_code, status, response.text[:300])
        self.assertNotIn("Traceback", response.text)

    @mute_logger("odoo.http")
    def test_r3_nul_in_the_response_link_404(self):
        self.assert_refused(self.url_open(f"/clinic/r/{NUL_TOKEN}"), 404)

    @mute_logger("odoo.http")
    def test_r3_nul_in_the_response_choice_404(self):
        page = self.url_open(f"/clinic/r/{self.visit.clinic_reminder_token}")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(f"/clinic/r/{NUL_TOKEN}/confirm", data={"csrf_token": csrf})
        self.assert_refused(response, 404)

    @mute_logger("odoo.addons.clinic_reminder.controllers.main")
    def test_c9_nul_in_the_gateway_code_404(self):
        for path in ("/clinic/reminder/callback/%00", "/clinic/reminder/telegram/%00x"):
            with self.subTest(path=path):
                response = self.url_open(path, data=b"{}", headers={"X-Clinic-Timestamp": "1"})
                self.assert_refused(response, 404)
                self.assertEqual(response.json(), {"ok": False, "error": "unknown gateway"})

    def test_r3_response_page_is_not_cached(self):
        page = self.url_open(f"/clinic/r/{self.visit.clinic_reminder_token}")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.headers.get("Cache-Control"), "no-store")
        self.assertEqual(page.headers.get("Referrer-Policy"), "no-referrer")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = self.url_open(
            f"/clinic/r/{self.visit.clinic_reminder_token}/confirm", data={"csrf_token": csrf}
        )
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.headers.get("Cache-Control"), "no-store")
