"""Visit statuses in the user's language: refused moves and the dashboard (W1, W6; issue 15.2)."""

from odoo.addons.clinic_base.tests.common import load_languages
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import WaitingRoomCommon


@tagged("post_install", "-at_install")
class TestStateLabels(WaitingRoomCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_languages(cls.env, ["clinic_base", "clinic_waiting_room"])
        cls.entry_anna.with_user(cls.operator).action_finish()

    def test_w6_refused_move_in_ru_and_de(self):
        expected = {
            "en_US": "Anna Schmidt cannot go from Finished to In consultation.",
            "ru_RU": "Anna Schmidt: нельзя перейти из статуса «Завершён» в «На консультации».",
            "de_DE": "Anna Schmidt kann nicht von „Beendet“ zu „In der Sprechstunde“ wechseln.",
        }
        for lang, message in expected.items():
            with self.subTest(lang=lang):
                entry = self.entry_anna.with_user(self.operator).with_context(lang=lang)
                with self.assertRaises(UserError) as caught:
                    entry.action_start_video()
                self.assertEqual(str(caught.exception), message)

    def test_w1_dashboard_gets_translated_statuses(self):
        Room = self.room.with_user(self.operator)
        statuses = Room.with_context(lang="de_DE").get_dashboard_data()["statuses"]
        self.assertEqual(
            [list(status) for status in statuses],
            [
                ["invited", "Noch nicht da"],
                ["waiting", "Wartend"],
                ["left", "Gegangen"],
                ["in_consultation", "In der Sprechstunde"],
                ["on_hold", "Gehalten"],
                ["finished", "Beendet"],
            ],
        )
