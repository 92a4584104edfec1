"""The clinic's time zone is never silently UTC; days are counted in it (C13, C1, C5)."""

from datetime import date, datetime

from odoo.tests import BaseCase, Form, TransactionCase, new_test_user, tagged

from ..tools import timezone as clinic_tz
from .common import ClinicBaseCommon


@tagged("post_install", "-at_install")
class TestTimezoneTools(BaseCase):
    def test_c13_country_with_one_clock(self):
        self.assertEqual(clinic_tz.country_zone("DE"), "Europe/Berlin")  # Busingen keeps Berlin's
        self.assertEqual(clinic_tz.country_zone("at"), "Europe/Vienna")
        for several_clocks in ("RU", "US", "ES", "", None, "XX"):
            with self.subTest(country=several_clocks):
                self.assertIsNone(clinic_tz.country_zone(several_clocks))

    def test_c13_most_common_zone(self):
        counts = {"Europe/Moscow": 2, "Asia/Omsk": 2, "Not/AZone": 9}
        self.assertEqual(clinic_tz.most_common(counts), "Asia/Omsk")  # tie: alphabetical
        self.assertIsNone(clinic_tz.most_common({}))

    def test_c1_day_bounds_follow_dst(self):
        # 30 March 2025: Berlin moves to summer time, the day has 23 hours.
        self.assertEqual(
            clinic_tz.day_bounds(date(2025, 3, 30), "Europe/Berlin"),
            (datetime(2025, 3, 29, 23, 0), datetime(2025, 3, 30, 22, 0)),
        )
        self.assertEqual(
            clinic_tz.local_today("Asia/Vladivostok", now=datetime(2025, 1, 7, 20, 0)),
            date(2025, 1, 8),
        )


@tagged("post_install", "-at_install")
class TestCompanyTimezone(ClinicBaseCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Clinic TZ"})

    def resolution(self):
        self.company.invalidate_recordset()
        return self.company._clinic_tz_resolution()

    def test_c13_company_setting_first(self):
        self.company.write({"country_id": self.env.ref("base.de").id, "clinic_tz": "Asia/Omsk"})
        self.assertEqual(self.resolution(), ("Asia/Omsk", "company"))

    def test_c13_then_the_country(self):
        self.company.write({"country_id": self.env.ref("base.de").id, "clinic_tz": False})
        self.assertEqual(self.resolution(), ("Europe/Berlin", "country"))

    def test_c13_then_the_users(self):
        self.company.write({"country_id": self.env.ref("base.ru").id, "clinic_tz": False})
        for login, tz in (("tz_a", "Asia/Omsk"), ("tz_b", "Europe/Moscow"), ("tz_c", "Asia/Omsk")):
            new_test_user(
                self.env,
                login=login,
                tz=tz,
                company_id=self.company.id,
                company_ids=[self.company.id],
            )
        self.assertEqual(self.resolution(), ("Asia/Omsk", "users"))

    def test_c13_utc_only_when_nothing_says_otherwise_and_settings_say_so(self):
        self.company.write({"country_id": False, "clinic_tz": False})
        self.assertEqual(self.resolution(), ("UTC", "none"))
        settings = Form(self.env["clinic.settings"].with_company(self.company))
        self.assertEqual(settings.clinic_tz_in_force, "UTC")
        self.assertEqual(settings.clinic_tz_source, "none")
        settings.clinic_tz = "Europe/Vienna"
        settings.save().execute()
        self.assertEqual(self.resolution(), ("Europe/Vienna", "company"))

    def test_c1_day_bounds_in_the_company_zone(self):
        self.company.clinic_tz = "Asia/Vladivostok"
        self.assertEqual(
            self.company._clinic_day_bounds(date(2030, 1, 8)),
            (datetime(2030, 1, 7, 14, 0), datetime(2030, 1, 8, 14, 0)),
        )
