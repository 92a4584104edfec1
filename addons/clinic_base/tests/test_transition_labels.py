"""Refused status moves speak the user's language (SPEC 0: ru and de; issue 15.2)."""

from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import ClinicBaseCommon, load_languages


@tagged("post_install", "-at_install")
class TestTransitionLabels(ClinicBaseCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_languages(cls.env, ["clinic_base"])
        start = datetime(2030, 1, 7, 10, 0)
        cls.event = cls.env["calendar.event"].create(
            {
                "patient_id": cls.anna.id,
                "practitioner_id": cls.practitioner.id,
                "start": start,
                "stop": start + timedelta(minutes=30),
                "clinic_state": "done",
            }
        )

    def test_refused_move_named_in_ru_and_de(self):
        expected = {
            "en_US": "Anna Schmidt cannot go from Done to Booked.",
            "ru_RU": "Anna Schmidt: нельзя перейти из статуса «Завершён» в «Записан».",
            "de_DE": "Anna Schmidt kann nicht von „Erledigt“ zu „Gebucht“ wechseln.",
        }
        for lang, message in expected.items():
            with self.subTest(lang=lang):
                event = self.event.with_context(lang=lang)
                with self.assertRaises(UserError) as caught:
                    event.action_clinic_rebook()
                self.assertEqual(str(caught.exception), message)

    def test_confirming_twice_is_no_move(self):
        self.event.clinic_state = "confirmed"
        self.event.action_clinic_confirm()
        self.assertEqual(self.event.clinic_state, "confirmed")
