from datetime import timedelta

from odoo import fields
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo a newcomer sees with `make run` (test databases have no demo)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for path in get_manifest("clinic_base")["demo"]:
            convert_file(cls.env, "clinic_base", path, {}, mode="init", kind="demo")
        cls.patients = cls.env["res.partner"].search([("is_patient", "=", True)])

    def test_forty_patients_with_numbers(self):
        self.assertGreaterEqual(len(self.patients), 40)
        self.assertTrue(all(p.clinic_phone_ids for p in self.patients))
        self.assertFalse(self.patients.clinic_phone_ids.filtered(lambda r: not r.number_e164))

    def test_families_share_a_number(self):
        muellers = self.env["res.partner"]._clinic_search_by_number("+49 30 1234567")
        self.assertEqual(len(muellers), 3)
        ivanovs = self.env["res.partner"]._clinic_search_by_number("+7 495 123-45-67")
        self.assertEqual(len(ivanovs), 3)

    def test_tomorrow_has_appointments_with_practitioners(self):
        tomorrow = fields.Date.context_today(self.env.user) + timedelta(days=1)
        events = self.env["calendar.event"].search(
            [
                ("patient_id", "!=", False),
                ("start", ">=", fields.Datetime.to_datetime(tomorrow)),
                ("start", "<", fields.Datetime.to_datetime(tomorrow + timedelta(days=1))),
            ]
        )
        self.assertGreaterEqual(len(events), 10)
        self.assertEqual(len(events.practitioner_id), 3)
        self.assertIn("booked", events.mapped("clinic_state"))

    def test_17_appointments_on_the_quarter_hour(self):
        """Reminders and lists show 09:15, never 09:15:04 (issue 17.5)."""
        events = self.env["calendar.event"].search([("patient_id", "!=", False)])
        self.assertGreaterEqual(len(events), 40)
        off = [
            (event.name, str(event.start))
            for event in events
            if event.start.second or event.start.minute % 15 or event.stop.second
        ]
        self.assertEqual(off, [])

    def test_17_a_clinic_with_an_address_and_a_time_zone(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(
            (company.name, company.city, company.country_id.code, company.clinic_tz),
            ("Praxisklinik am Stadtpark", "Berlin", "DE", "Europe/Berlin"),
        )
        self.assertTrue(company.logo)

    def test_17_operators_start_on_the_front_desk(self):
        """Operators land in the Clinic app after login, not in Discuss (issue 17.5)."""
        front_desk = self.env.ref("clinic_base.action_clinic_appointment")
        for xmlid in ("clinic_base.user_frontdesk_irina", "clinic_base.user_frontdesk_jonas"):
            self.assertEqual(self.env.ref(xmlid).action_id.id, front_desk.id)
        clinic_app = self.env["ir.ui.menu"].search(
            [("id", "child_of", self.env.ref("clinic_base.menu_clinic_root").id)]
        )
        self.assertIn(front_desk, [menu.action for menu in clinic_app])
