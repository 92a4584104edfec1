from odoo.tests import TransactionCase, tagged

from .common import WaitingRoomCommon


@tagged("post_install", "-at_install")
class TestSettings(WaitingRoomCommon, TransactionCase):
    def test_w4_settings_switch_guest_messaging_and_link_validity(self):
        settings = self.env["res.config.settings"].create(
            {
                "clinic_waiting_guest_messaging": False,
                "clinic_waiting_link_hours": 2,
                "clinic_waiting_threshold": 15,
            }
        )
        settings.execute()
        Entry = self.env["clinic.waiting.entry"]
        self.assertFalse(Entry._guest_messaging_enabled())
        self.assertEqual(Entry._wait_threshold_minutes(), 15)
        entry = Entry.create({"patient_id": self.anna.id, "room_id": self.room.id})
        self.assertAlmostEqual(
            (entry.expires_at - entry.create_date).total_seconds(), 2 * 3600, delta=60
        )
        self.env["res.config.settings"].create({"clinic_waiting_guest_messaging": True}).execute()
        self.assertTrue(Entry._guest_messaging_enabled())
