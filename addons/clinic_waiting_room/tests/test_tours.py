import threading
import time
from unittest.mock import patch

from freezegun import freeze_time

from odoo import sql_db
from odoo.addons.bus.tests.common import WebsocketCase
from odoo.addons.clinic_base.tests import tour_pushers
from odoo.addons.clinic_base.tests.tour_pushers import TourPushersMixin
from odoo.tests import TEST_CURSOR_COOKIE_NAME, tagged
from odoo.tests.common import HOST, ChromeBrowser

from .common import WaitingRoomCommon

_test_cursor_commit = sql_db.TestCursor.commit

#: W12: Chromium answers getUserMedia with a fake camera and microphone, no prompt
FAKE_MEDIA = ("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream")
_spawn_chrome = ChromeBrowser._spawn_chrome


def _spawn_with_fake_media(browser, cmd):
    return _spawn_chrome(browser, [cmd[0], *FAKE_MEDIA, *cmd[1:]])


def fake_media():
    """Give the browsers started meanwhile fake media devices (only for these tours)."""
    return patch.object(ChromeBrowser, "_spawn_chrome", _spawn_with_fake_media)


def _commit_and_notify_bus(cr):
    """Test cursors drop post-commit hooks, so the bus would never wake the
    websockets up; run them (the bus' NOTIFY among them) like a real commit."""
    cr.flush()
    cr.postcommit.run()
    _test_cursor_commit(cr)


class LiveTourCase(WaitingRoomCommon, WebsocketCase):
    """Real-time tours: the browsers use the real websocket and bus dispatch; the
    operator ``tour_login`` (password = login) works the dashboard."""

    tour_login = "tour_operator"
    tour_name = "Tour Operator"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.object(sql_db.TestCursor, "commit", _commit_and_notify_bus))
        cls.tour_user = cls.env["res.users"].create(
            {
                "name": cls.tour_name,
                "login": cls.tour_login,
                "password": cls.tour_login,
                "groups_id": [(6, 0, [cls.env.ref("clinic_base.group_clinic_operator").id])],
            }
        )
        cls.room.consent_text = (
            "I agree that the clinic sees and hears me during the video consultation."
        )


@tagged("post_install", "-at_install")
class TestWaitingRoomTours(TourPushersMixin, LiveTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        Entry = cls.env["clinic.waiting.entry"]
        cls.carla = Partner.create({"name": "Carla Rossi", "is_patient": True})
        cls.dieter = Partner.create({"name": "Dieter Vogel", "is_patient": True})
        cls.entry_carla = Entry.create({"patient_id": cls.carla.id, "room_id": cls.room.id})
        cls.entry_dieter = Entry.create({"patient_id": cls.dieter.id, "room_id": cls.room.id})
        for entry in (cls.entry_anna, cls.entry_boris, cls.entry_carla, cls.entry_dieter):
            cls.page_opens(entry)
        for entry in (cls.entry_carla, cls.entry_dieter):
            entry.with_user(cls.tour_user).action_start_video()
        cls.entry_carla.with_user(cls.tour_user).action_hold()
        cls.entry_carla.with_user(cls.tour_user).action_leave_call()

    def test_tour_w1_w6_w8_staff_dashboard(self):
        """Staff notify one caller and a filtered list, see the counter turn orange
        when the patient replies, hold and leave a consultation; a patient invited
        meanwhile is announced only once their page opens, with their device test."""

        def emil(env):
            return env["clinic.waiting.entry"].search([("patient_id.name", "=", "Emil Berger")])

        def emil_told(env):
            return emil(env).exchange_count

        def emil_opens_page(env):
            entry = emil(env)
            entry._patient_checkin(True, True)
            entry._patient_device_result("microphone_blocked")
            env["bus.presence"].create({"guest_id": entry.guest_id.id, "status": "online"})

        self.run_tour_with_pushers(
            "/odoo/action-clinic_waiting_room.action_clinic_waiting_dashboard",
            "clinic_waiting_staff_tour",
            self.tour_login,
            [(emil_told, emil_opens_page)],
        )
        self.assertEqual(
            (self.entry_anna.exchange_count, self.entry_anna.last_message_from), (2, "patient")
        )
        self.assertEqual(self.entry_carla.exchange_count, 1)
        self.assertEqual(self.entry_boris.exchange_count, 0)
        self.assertEqual(self.entry_dieter.exchange_count, 0)
        self.assertEqual(self.entry_dieter.state, "on_hold")

    def test_tour_w4_w7_w12_patient_page(self):
        """The patient checks in (name, consent, device test with fake devices), waits,
        receives the clinic's message live, replies, and follows the consultation into
        hold. The page is the patient's alone (no login); staff act from the test."""
        entry = self.env["clinic.waiting.entry"].create(
            {"patient_id": self.anna.id, "room_id": self.room.id}
        )
        self.entry_anna.sudo().action_finish()

        def arrived(env):
            visit = env["clinic.waiting.entry"].browse(entry.id)
            return visit.presence == "here" and visit.device_status == "ready"

        def staff_write(env):
            self.staff_says(entry.with_env(env), "Please come to room 3")

        def replied(env):
            return env["clinic.waiting.entry"].browse(entry.id).last_message_from == "patient"

        def staff_start_video(env):
            entry.with_env(env).with_user(self.operator).action_start_video()

        def joining(env):
            return env["clinic.waiting.entry"].browse(entry.id).exchange_count >= 3

        def staff_hold_and_leave(env):
            visit = entry.with_env(env).with_user(self.operator)
            visit.action_hold()
            visit.action_leave_call()

        # one pusher at a time: each waits for what the previous one led to
        pushers = [
            (arrived, staff_write),
            (lambda env: replied(env) and not joining(env), staff_start_video),
            (joining, staff_hold_and_leave),
        ]
        with fake_media():
            self.run_tour_with_pushers(
                f"/clinic/wait/{entry.sudo().access_token}",
                "clinic_waiting_patient_tour",
                None,
                pushers,
            )
        self.assertEqual(entry.state, "on_hold")
        self.assertEqual((entry.exchange_count, entry.last_message_from), (3, "patient"))
        self.assertEqual(entry.device_status, "ready")
        self.assertIn("sees and hears me", entry.consent_text)
        self.assertTrue(entry.arrival_dt)


@tagged("post_install", "-at_install")
class TestPresenceTour(TourPushersMixin, LiveTourCase):
    """W11 end to end: staff watch the dashboard while the patient's page opens,
    closes and reopens in a second browser of its own (no staff cookie)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        frida = cls.env["res.partner"].create({"name": "Frida Lang", "is_patient": True})
        cls.entry_frida = cls.env["clinic.waiting.entry"].create(
            {"patient_id": frida.id, "room_id": cls.room.id}
        )

    def test_tour_w11_presence_follows_the_patient_page(self):
        with fake_media():
            patient_browser = ChromeBrowser(self, success_signal="tour succeeded")
        url = f"{self.base_url()}/clinic/wait/{self.entry_frida.sudo().access_token}"
        arrivals, moments, threads, errors = [], {}, [], []

        def aside(func):
            """Drive the patient's browser from a thread of its own: a pusher's action
            holds a test cursor, which the page's requests wait for."""

            def run():
                try:
                    func()
                except Exception as exc:  # noqa: BLE001 - reported by the test below
                    errors.append(exc)

            def action(env):
                threads.append(threading.Thread(target=run))
                threads[-1].start()

            return action

        def told(count):
            return lambda env: (
                env["clinic.waiting.entry"].browse(self.entry_frida.id).exchange_count >= count
            )

        @aside
        def open_page_and_check_in():
            patient_browser.set_cookie(TEST_CURSOR_COOKIE_NAME, self.http_request_key, "/", HOST)
            patient_browser.navigate_to(url)
            tour = "clinic_waiting_checkin_tour"
            if not patient_browser._wait_ready(f"odoo.isTourReady('{tour}')"):
                raise AssertionError("the check-in tour never got ready")
            patient_browser._wait_code_ok(f"odoo.startTour('{tour}', {{}})", 120)

        def record_arrival(env):
            arrivals.append(env["clinic.waiting.entry"].browse(self.entry_frida.id).arrival_dt)

        @aside
        def close_page():
            patient_browser.navigate_to("about:blank")
            moments["closed"] = time.monotonic()

        def left(env):
            if env["clinic.waiting.entry"].browse(self.entry_frida.id).presence == "left":
                moments["left"] = time.monotonic()
                return True
            return False

        @aside
        def reopen_page():
            patient_browser.navigate_to(url)

        try:
            # the patient's check-in takes its time on a busy machine
            with patch.object(tour_pushers, "PUSH_TIMEOUT", 240):
                self.run_tour_with_pushers(
                    "/odoo/action-clinic_waiting_room.action_clinic_waiting_dashboard",
                    "clinic_waiting_presence_tour",
                    self.tour_login,
                    [
                        (told(1), open_page_and_check_in),
                        (told(2), lambda env: (record_arrival(env), close_page(env))),
                        (left, lambda env: None),
                        (told(3), reopen_page),
                    ],
                    timeout=240,
                )
        finally:
            for thread in threads:
                thread.join(120)
            patient_browser.stop()
        self.assertFalse(errors)
        self.assertEqual(self.entry_frida.device_status, "ready")
        self.assertEqual(self.entry_frida.arrival_dt, arrivals[0], "the original arrival")
        self.assertLess(moments["left"] - moments["closed"], 5, "left within 5 s of closing")


@tagged("post_install", "-at_install")
class TestDiscussCallHoldTour(TourPushersMixin, LiveTourCase):
    """W6/W7 in the real Discuss call UI: staff start the consultation from the
    dashboard, the patient joins the call (their guest session is created from
    Python, as the patient's own browser would), staff press Hold on the patient's
    participant card, then hang up: the patient is back in the waiting room on hold."""

    tour_login = "call_operator"
    tour_name = "Call Operator"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emma = cls.env["res.partner"].create({"name": "Emma Koch", "is_patient": True})
        cls.entry_emma = cls.env["clinic.waiting.entry"].create(
            {"patient_id": cls.emma.id, "room_id": cls.room.id}
        )
        cls.page_opens(cls.entry_emma)

    def test_tour_w6_w7_hold_in_discuss_call(self):
        def staff_in_call(env):
            channel = env["clinic.waiting.entry"].browse(self.entry_emma.id).channel_id
            return channel.rtc_session_ids.partner_id == self.tour_user.partner_id

        def patient_joins(env):
            # what the patient's browser's "Join" does
            channel = env["clinic.waiting.entry"].browse(self.entry_emma.id).channel_id
            channel.channel_member_ids.filtered("guest_id")._rtc_join_call()

        self.run_tour_with_pushers(
            "/odoo/action-clinic_waiting_room.action_clinic_waiting_dashboard",
            "clinic_waiting_discuss_hold_tour",
            "call_operator",
            [(staff_in_call, patient_joins)],
        )
        self.assertEqual(self.entry_emma.state, "on_hold")
        self.assertFalse(self.entry_emma.hold_requested)
        # sudo: discuss.channel.rtc.session - the call is over for everyone
        self.assertFalse(self.entry_emma.channel_id.sudo().rtc_session_ids)


@tagged("post_install", "-at_install")
class TestClosedTour(LiveTourCase):
    """W13 with the server's clock frozen on a Sunday evening in Berlin."""

    def test_tour_w13_closed_outside_opening_hours(self):
        self.room.hours_ids = [
            (0, 0, {"weekday": str(day), "hour_from": 8.0, "hour_to": 18.0}) for day in range(5)
        ]
        entry = self.env["clinic.waiting.entry"].create(
            {"patient_id": self.anna.id, "room_id": self.room.id}
        )
        entry.sudo()._patient_checkin(True, True)
        with freeze_time("2026-03-01 19:00:00"):  # Sunday 20:00 in Berlin
            self.start_tour(
                f"/clinic/wait/{entry.sudo().access_token}", "clinic_waiting_closed_tour"
            )
        self.assertEqual(entry.presence, "invited")
