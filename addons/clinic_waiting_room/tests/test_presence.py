"""W11 presence, W12 check-in and device test, W13 opening hours, on the server."""

import json
import threading
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.addons.bus.tests.common import WebsocketCase
from odoo.addons.mail.tests.common import MailCommon
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import WaitingRoomCommon

# Sunday 1 March 2026, 20:00 in Berlin; the room opens Monday to Friday, 08:00-18:00
SUNDAY_EVENING = "2026-03-01 19:00:00"
MONDAY_MORNING = "2026-03-02 08:30:00"


@tagged("post_install", "-at_install")
class TestPresence(WaitingRoomCommon, MailCommon):
    def room_notifications(self):
        """The dashboards' rows sent since the last call (on commit, as the bus would)."""
        self.env.cr.precommit.run()
        rows = []
        for note in self.env["bus.bus"].sudo().search([], order="id"):
            message = json.loads(note.message)
            if message["type"] == "clinic_waiting_room/entries":
                rows.extend(message["payload"])
        self.env["bus.bus"].sudo().search([]).unlink()
        return rows

    def test_w11_a_visit_staff_create_is_not_waiting(self):
        entry = self.entry_anna
        self.assertEqual((entry.presence, entry.status), ("invited", "invited"))
        self.assertFalse(entry.arrival_dt)
        displayed = self.room.with_user(self.operator).get_dashboard_data(status="waiting")
        self.assertNotIn(entry.id, [row["id"] for row in displayed["entries"]])

    def test_w11_page_opens_closes_and_reopens(self):
        entry = self.entry_anna
        self.room_notifications()
        with freeze_time("2026-03-02 09:00:00"):
            self.page_opens(entry)
        self.assertEqual((entry.presence, entry.status), ("here", "waiting"))
        arrival = entry.arrival_dt
        self.assertEqual(arrival, fields.Datetime.to_datetime("2026-03-02 09:00:00"))
        [row] = [r for r in self.room_notifications() if r["id"] == entry.id][-1:]
        self.assertEqual((row["status"], row["alert"]), ("waiting", "arrived"))

        with freeze_time("2026-03-02 09:10:00"):
            self.page_closes(entry)
        self.assertEqual((entry.presence, entry.status), ("left", "left"))
        self.assertEqual(self.room_notifications()[-1]["alert"], False)

        with freeze_time("2026-03-02 09:20:00"):
            self.page_opens(entry)
        self.assertEqual((entry.presence, entry.status), ("here", "waiting"))
        self.assertEqual(entry.arrival_dt, arrival, "the waiting time counts from the arrival")
        self.assertEqual(self.room_notifications()[-1]["alert"], "returned")

    def test_w8_a_reload_is_no_return(self):
        entry = self.entry_anna
        self.page_opens(entry)
        self.page_closes(entry)
        self.room_notifications()
        self.page_opens(entry)  # the same second
        self.assertEqual(entry.presence, "here")
        self.assertEqual(self.room_notifications()[-1]["alert"], False)

    def test_w11_the_page_hears_it_left(self):
        """A page still open when the server marks it left (a reload whose old socket
        closed last) hears it, and reports itself again."""
        entry = self.entry_anna
        self.page_opens(entry)
        self.room_notifications()  # what the bus already holds
        self.page_closes(entry)
        self.env.cr.precommit.run()
        channel = json.dumps(
            [self.env.cr.dbname, "mail.guest", entry.guest_id.id], separators=(",", ":")
        )
        [note] = self.env["bus.bus"].sudo().search([("channel", "=", channel)])
        message = json.loads(note.message)
        self.assertEqual(message["type"], "clinic_waiting_room/update")
        self.assertEqual(message["payload"]["presence"], "left")

    def test_w12_no_arrival_before_check_in(self):
        entry = self.entry_anna
        self.page_opens(entry, check_in=False)
        self.assertEqual(entry.presence, "invited")
        # checking in with the page open is arriving
        entry.sudo()._patient_checkin(True, True)
        self.assertEqual(entry.presence, "here")
        self.assertTrue(entry.arrival_dt)

    def test_w11_finished_or_expired_visits_ignore_the_page(self):
        self.entry_anna.sudo()._patient_checkin(True, True)
        self.entry_anna.with_user(self.operator).action_finish()
        self.page_opens(self.entry_anna)
        self.assertEqual(self.entry_anna.presence, "invited")
        self.entry_boris.sudo().expires_at = fields.Datetime.now() - timedelta(minutes=1)
        self.page_opens(self.entry_boris)
        self.assertEqual(self.entry_boris.presence, "invited")

    def test_w3_w11_filters_follow_presence(self):
        self.page_opens(self.entry_anna)
        room = self.room.with_user(self.operator)
        self.assertEqual(
            [e["id"] for e in room.get_dashboard_data(status="waiting")["entries"]],
            self.entry_anna.ids,
        )
        self.assertEqual(
            [e["id"] for e in room.get_dashboard_data(status="invited")["entries"]],
            self.entry_boris.ids,
        )
        self.page_closes(self.entry_anna)
        self.assertEqual(
            [e["id"] for e in room.get_dashboard_data(status="left")["entries"]],
            self.entry_anna.ids,
        )


@tagged("post_install", "-at_install")
class TestCheckIn(WaitingRoomCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.room.consent_text = "I agree to the video consultation."

    def test_w12_name_and_consent_are_required(self):
        entry = self.entry_anna.sudo()
        page = entry._patient_page_values()
        self.assertEqual((page["checked_in"], page["consent"]), (False, self.room.consent_text))
        with self.assertRaises(UserError):
            entry._patient_checkin(False, True)
        with self.assertRaises(UserError):
            entry._patient_checkin(True, False)
        with self.assertRaises(UserError):
            entry._patient_checkin(True, "yes")
        self.assertFalse(entry.checkin_dt)
        entry._patient_checkin(True, True)
        self.assertTrue(entry.checkin_dt)
        self.assertEqual(entry.consent_text, "I agree to the video consultation.")

    def test_w12_without_consent_text_the_name_is_enough(self):
        self.room.consent_text = False
        self.entry_anna.sudo()._patient_checkin(True, None)
        self.assertTrue(self.entry_anna.checkin_dt)

    def test_w12_consent_in_the_patients_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.room.with_context(lang="de_DE").consent_text = "Ich bin einverstanden."
        self.anna.lang = "de_DE"
        self.boris.lang = "en_US"
        self.assertEqual(self.entry_anna.sudo()._consent_to_show(), "Ich bin einverstanden.")
        self.assertEqual(
            self.entry_boris.sudo()._consent_to_show(), "I agree to the video consultation."
        )
        self.entry_anna.sudo()._patient_checkin(True, True)
        self.assertEqual(self.entry_anna.consent_text, "Ich bin einverstanden.")

    def test_w12_device_result_reaches_the_dashboard(self):
        entry = self.entry_anna.sudo()
        with self.assertRaises(UserError):
            entry._patient_device_result("ready")  # check in first
        entry._patient_checkin(True, True)
        for bad in ("great", "", "READY"):
            with self.assertRaises(UserError):
                entry._patient_device_result(bad)
        entry._patient_device_result("camera_blocked")
        row = next(
            e
            for e in self.room.with_user(self.operator).get_dashboard_data()["entries"]
            if e["id"] == entry.id
        )
        self.assertEqual(row["device"], "camera_blocked")
        entry._patient_device_result("skipped")
        self.assertEqual(self.entry_anna.device_status, "skipped")


@tagged("post_install", "-at_install")
class TestOpeningHours(WaitingRoomCommon, MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.clinic_tz = "Europe/Berlin"
        cls.room.hours_ids = [
            (0, 0, {"weekday": str(day), "hour_from": 8.0, "hour_to": 18.0}) for day in range(5)
        ]
        cls.entry_anna.sudo()._patient_checkin(True, True)

    def test_w13_closed_page_and_next_opening(self):
        with freeze_time(SUNDAY_EVENING):
            page = self.entry_anna.sudo()._patient_page_values()
        self.assertTrue(page["closed"])
        self.assertEqual(page["messages"], [])
        self.assertEqual(page["next_opening"]["label"], "Monday 2 March, 08:00")
        self.assertEqual(page["next_opening"]["zone"], "Europe/Berlin")
        self.assertEqual(page["next_opening"]["in_seconds"], 12 * 3600)
        with freeze_time(MONDAY_MORNING):
            self.assertFalse(self.entry_anna.sudo()._patient_page_values()["closed"])

    def test_w13_no_arrival_and_no_alert_while_closed(self):
        TestPresence.room_notifications(self)
        with freeze_time(SUNDAY_EVENING):
            self.page_opens(self.entry_anna)
        self.assertEqual(self.entry_anna.presence, "invited")
        self.assertEqual(TestPresence.room_notifications(self), [], "no arrival, no alert")
        with freeze_time(MONDAY_MORNING):
            self.page_closes(self.entry_anna)
            self.page_opens(self.entry_anna)
        self.assertEqual(self.entry_anna.presence, "here")

    def test_w13_who_is_in_keeps_their_place_after_closing_time(self):
        with freeze_time(MONDAY_MORNING):
            self.page_opens(self.entry_anna)
        with freeze_time(SUNDAY_EVENING):
            self.assertFalse(self.entry_anna.sudo()._patient_page_values()["closed"])
            self.page_closes(self.entry_anna)
            self.page_opens(self.entry_anna)
        self.assertEqual(self.entry_anna.presence, "here")

    def test_w13_hours_must_make_sense(self):
        from odoo.exceptions import ValidationError

        for hour_from, hour_to in ((18.0, 8.0), (8.0, 25.0), (-1.0, 3.0)):
            with self.assertRaises(ValidationError):
                self.room.hours_ids = [
                    (0, 0, {"weekday": "0", "hour_from": hour_from, "hour_to": hour_to})
                ]


@tagged("post_install", "-at_install")
class TestPresenceOverWebsocket(WaitingRoomCommon, WebsocketCase):
    """W11 with a real websocket: the patient page's socket, with the guest cookie,
    reports its presence as Odoo's bus service does; closing it is leaving."""

    def setUp(self):
        super().setUp()
        self.presence_done = threading.Event()
        Websocket = type(self.env["ir.websocket"])
        update = Websocket._update_bus_presence

        def update_and_signal(websocket, *args, **kwargs):
            try:
                return update(websocket, *args, **kwargs)
            finally:
                self.presence_done.set()

        self.startPatcher(patch.object(Websocket, "_update_bus_presence", update_and_signal))

    def connect_as_patient(self, entry):
        """Connect as the patient page does and wait until the server handled its
        presence (the test's cursor is the server's: no reading meanwhile)."""
        self.authenticate(None, None)
        guest = entry.guest_id.sudo()
        self.env.flush_all()
        ws = self.websocket_connect(
            cookie=f"session_id={self.session.sid};dgid={guest._format_auth_cookie()}"
        )
        self.subscribe(ws, [], self.env["bus.bus"].sudo()._bus_last_id())
        self.presence_done.clear()
        ws.send(
            json.dumps(
                {
                    "event_name": "update_presence",
                    "data": {"inactivity_period": 0, "im_status_ids_by_model": {}},
                }
            )
        )
        self.assertTrue(self.presence_done.wait(30))
        self.env.invalidate_all()
        return ws

    def close(self, ws):
        ws.close()
        self.wait_remaining_websocket_connections()  # Odoo's _on_websocket_closed ran
        self.env.invalidate_all()

    def test_w11_websocket_presence(self):
        entry = self.entry_anna
        entry.sudo()._patient_checkin(True, True)
        ws = self.connect_as_patient(entry)
        self.assertEqual(entry.presence, "here")
        arrival = entry.arrival_dt
        self.close(ws)
        self.assertEqual(entry.presence, "left")
        self.connect_as_patient(entry)
        self.assertEqual(entry.presence, "here")
        self.assertEqual(entry.arrival_dt, arrival)
