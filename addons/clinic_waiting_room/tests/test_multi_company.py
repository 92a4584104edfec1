"""Two clinics kept apart (R6) with their own waiting-room settings (issue 15.9)."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

from odoo.addons.bus.models import ir_websocket as bus_websocket
from odoo.addons.clinic_base.tests.common import ClinicMultiCompanyCommon
from odoo.addons.mail.models.discuss import mail_guest
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

MIGRATIONS = Path(__file__).parents[1] / "migrations" / "18.0.1.1.0"


def load_migration(name):
    spec = importlib.util.spec_from_file_location(f"clinic_waiting_room_{name}", MIGRATIONS / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestTwoClinics(ClinicMultiCompanyCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Room, Entry = cls.env["clinic.waiting.room"], cls.env["clinic.waiting.entry"]
        cls.room_a = cls.env.ref("clinic_waiting_room.waiting_room_main")
        cls.room_b = Room.create({"name": "Wartezimmer Wien", "company_id": cls.company_b.id})
        cls.company_a.write(
            {
                "clinic_waiting_guest_messaging": True,
                "clinic_waiting_link_hours": 12,
                "clinic_waiting_threshold": 30,
            }
        )
        cls.company_b.write(
            {
                "clinic_waiting_guest_messaging": False,
                "clinic_waiting_link_hours": 2,
                "clinic_waiting_threshold": 10,
            }
        )
        cls.visit_a = Entry.create({"patient_id": cls.patient_a.id, "room_id": cls.room_a.id})
        cls.visit_b = Entry.create({"patient_id": cls.patient_b.id, "room_id": cls.room_b.id})

    def test_r6_each_clinic_sees_its_own_rooms_and_visits(self):
        for user, own_room, own_visit, other_room, other_visit in (
            (self.operator, self.room_a, self.visit_a, self.room_b, self.visit_b),
            (self.operator_b, self.room_b, self.visit_b, self.room_a, self.visit_a),
        ):
            with self.subTest(user=user.login):
                Room = self.env["clinic.waiting.room"].with_user(user)
                data = Room.get_dashboard_data()
                self.assertEqual([r["id"] for r in data["rooms"]], own_room.ids)
                self.assertEqual([e["id"] for e in data["entries"]], own_visit.ids)
                Entry = self.env["clinic.waiting.entry"].with_user(user)
                self.assertEqual(Entry.search([("patient_id", "!=", False)]), own_visit)
                with self.assertRaises(AccessError):
                    other_room.with_user(user).get_dashboard_data()
                with self.assertRaises(AccessError):
                    other_room.with_user(user).action_notify_all("Hello")
                with self.assertRaises(AccessError):
                    other_visit.with_user(user).get_conversation()
                with self.assertRaises(AccessError):
                    other_visit.with_user(user).action_start_video()
        self.assertEqual(self.visit_a.exchange_count + self.visit_b.exchange_count, 0)

    def test_r6_opening_hours_belong_to_their_room(self):
        self.room_b.hours_ids = [(0, 0, {"weekday": "0", "hour_from": 8.0, "hour_to": 12.0})]
        Hours = self.env["clinic.waiting.room.hours"]
        self.assertFalse(Hours.with_user(self.operator).search([]))
        self.assertEqual(Hours.with_user(self.operator_b).search([]), self.room_b.hours_ids)

    def test_r6_no_visit_of_one_clinic_in_the_others_room(self):
        with self.assertRaises(UserError):
            self.env["clinic.waiting.entry"].create(
                {"patient_id": self.patient_a.id, "room_id": self.room_b.id}
            )
        with self.assertRaises(AccessError):
            self.env["clinic.waiting.entry"].with_user(self.operator_b).create(
                {"patient_id": self.anna.id, "room_id": self.room_a.id}
            )

    def test_r6_room_bus_channel_only_for_the_rooms_clinic(self):
        def channels_for(user, channel):
            fake_request = SimpleNamespace(
                cookies={}, env=self.env(user=user), session=SimpleNamespace(uid=user.id)
            )
            with (
                patch.object(mail_guest, "wsrequest", fake_request),
                patch.object(bus_websocket, "wsrequest", fake_request),
            ):
                Websocket = self.env["ir.websocket"].with_user(user)
                granted = Websocket._build_bus_channel_list([channel])
            rooms = [c for c in granted if getattr(c, "_name", None) == "clinic.waiting.room"]
            return rooms, [c for c in granted if isinstance(c, str)]

        channel = f"clinic.waiting.room_{self.room_a.id}"
        self.assertEqual(channels_for(self.operator, channel)[0], [self.room_a])
        rooms, strings = channels_for(self.operator_b, channel)
        self.assertEqual(rooms, [])
        self.assertNotIn(channel, strings)

    def test_15_9_settings_are_per_company(self):
        hours = {
            visit: (visit.expires_at - visit.create_date).total_seconds() / 3600
            for visit in (self.visit_a, self.visit_b)
        }
        self.assertAlmostEqual(hours[self.visit_a], 12, delta=0.1)
        self.assertAlmostEqual(hours[self.visit_b], 2, delta=0.1)
        self.assertIsNone(self.visit_a.sudo()._guest_refusal("post"))
        self.assertTrue(self.visit_b.sudo()._guest_refusal("post"))
        threshold = {
            user: self.env["clinic.waiting.room"].with_user(user).get_dashboard_data()["threshold"]
            for user in (self.operator, self.operator_b)
        }
        self.assertEqual(threshold, {self.operator: 30, self.operator_b: 10})

    def test_15_9_settings_screen_shows_the_current_company(self):
        Settings = self.env["clinic.settings"]
        settings_b = Settings.with_company(self.company_b).create({})
        self.assertEqual(settings_b.clinic_waiting_link_hours, 2)
        settings_b.clinic_waiting_link_hours = 5
        settings_b.execute()
        self.assertEqual(self.company_b.clinic_waiting_link_hours, 5)
        self.assertEqual(self.company_a.clinic_waiting_link_hours, 12)
        with self.assertRaises(ValidationError):
            self.company_b.clinic_waiting_link_hours = 0

    def test_15_9_migration_moves_the_global_parameters(self):
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param("clinic_waiting_room.guest_messaging", "True")
        Param.set_param("clinic_waiting_room.link_validity_hours", "24")
        Param.set_param("clinic_waiting_room.wait_threshold_minutes", "45")
        load_migration("post-migrate.py").migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        for company in (self.company_a, self.company_b):
            self.assertEqual(
                (
                    company.clinic_waiting_guest_messaging,
                    company.clinic_waiting_link_hours,
                    company.clinic_waiting_threshold,
                ),
                (True, 24, 45),
            )
        self.assertFalse(Param.search([("key", "like", "clinic_waiting_room.%")]))

    def test_14_migration_links_channels_and_sets_presence(self):
        self.visit_a.with_user(self.operator).action_start_video()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE discuss_channel SET clinic_waiting_entry_id = NULL;"
            "UPDATE clinic_waiting_entry SET presence = 'here', status = 'waiting'"
        )
        load_migration("pre-migrate.py").migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self.visit_a.channel_id.clinic_waiting_entry_id, self.visit_a)
        self.assertEqual(self.visit_b.channel_id.clinic_waiting_entry_id, self.visit_b)
        self.assertEqual(
            (self.visit_a.presence, self.visit_a.status), ("invited", "in_consultation")
        )
        self.assertEqual((self.visit_b.presence, self.visit_b.status), ("invited", "invited"))
