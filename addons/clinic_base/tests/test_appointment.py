from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, tagged

from .common import ClinicBaseCommon


@tagged("post_install", "-at_install")
class TestAppointment(ClinicBaseCommon, TransactionCase):
    def book(self, **vals):
        return self.env["calendar.event"].create(
            {
                "patient_id": self.anna.id,
                "practitioner_id": self.practitioner.id,
                "start": datetime(2030, 1, 7, 9, 0),
                "stop": datetime(2030, 1, 7, 9, 30),
                **vals,
            }
        )

    def test_booking_fills_people_and_title(self):
        event = self.book()
        self.assertEqual(event.name, "Anna Schmidt")
        self.assertEqual(event.user_id, self.practitioner)
        self.assertIn(self.anna, event.partner_ids)
        self.assertIn(self.practitioner.partner_id, event.partner_ids)
        self.assertEqual(event.clinic_state, "booked")
        self.assertEqual(self.anna.appointment_count, 1)

    def test_form_onchange(self):
        with Form(self.env["calendar.event"]) as form:
            form.patient_id = self.boris
            form.practitioner_id = self.practitioner
            form.start = datetime(2030, 1, 7, 10, 0)
        event = form.save()
        self.assertEqual(event.name, "Boris Ivanov")
        self.assertIn(self.boris, event.partner_ids)

    def test_state_flow(self):
        event = self.book()
        event.action_clinic_confirm()
        event.action_clinic_arrived()
        event.action_clinic_done()
        self.assertEqual(event.clinic_state, "done")
        with self.assertRaisesRegex(UserError, "cannot go from Done to Booked"):
            event.action_clinic_rebook()

    def test_patient_smart_button(self):
        event = self.book()
        action = self.anna.action_open_appointments()
        self.assertEqual(self.env["calendar.event"].search(action["domain"]), event)
