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
