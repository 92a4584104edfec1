from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import WaitingRoomCommon


@tagged("post_install", "-at_install")
class TestSettings(WaitingRoomCommon, TransactionCase):
    def test_w4_settings_switch_guest_messaging_and_link_validity(self):
        # the clinic manager, not Odoo's administrator, sets them (issue 17)
        manager = new_test_user(
            self.env, login="wr_manager", groups="clinic_base.group_clinic_manager"
        )
        settings = (
            self.env["clinic.settings"]
            .with_user(manager)
            .create(
                {
                    "clinic_waiting_guest_messaging": False,
                    "clinic_waiting_link_hours": 2,
                    "clinic_waiting_threshold": 15,
                }
            )
        )
        settings.execute()
        company = self.env.company
        self.assertFalse(company.clinic_waiting_guest_messaging)
        self.assertEqual(company.clinic_waiting_threshold, 15)
        self.assertTrue(self.entry_anna._guest_refusal("post"))
        entry = self.env["clinic.waiting.entry"].create(
            {"patient_id": self.anna.id, "room_id": self.room.id}
        )
        self.assertAlmostEqual(
            (entry.expires_at - entry.create_date).total_seconds(), 2 * 3600, delta=60
        )
        self.assertEqual(self.room.get_dashboard_data()["threshold"], 15)
        self.env["clinic.settings"].create({"clinic_waiting_guest_messaging": True}).execute()
        with self.assertRaises(AccessError):
            self.env["clinic.settings"].with_user(self.operator).create(
                {"clinic_waiting_threshold": 1}
            )
        self.assertFalse(self.entry_anna._guest_refusal("post"))
