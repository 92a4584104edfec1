from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestClinicBaseTours(HttpCase):
    def test_tour_patient_and_appointment(self):
        """A front-desk operator registers a patient and books a visit from the form."""
        self.env.company.country_id = self.env.ref("base.de")
        self.env["res.users"].create(
            {
                "name": "Tour Operator",
                "login": "tour_operator",
                "password": "tour_operator",
                "groups_id": [(6, 0, [self.env.ref("clinic_base.group_clinic_operator").id])],
            }
        )
        self.start_tour("/odoo", "clinic_base_patient_tour", login="tour_operator")
        patient = self.env["res.partner"].search([("name", "=", "Tour Patient Gerda")])
        self.assertTrue(patient.is_patient)
        self.assertEqual(patient.clinic_phone_ids.number_e164, "+49301112233")
        self.assertEqual(patient.appointment_count, 1)
