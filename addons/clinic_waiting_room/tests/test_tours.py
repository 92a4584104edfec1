import threading
import time
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, sql_db
from odoo.addons.bus.tests.common import WebsocketCase
from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .common import WaitingRoomCommon

_test_cursor_commit = sql_db.TestCursor.commit
PUSH_TIMEOUT = 60  # seconds the pusher thread waits for the tour to get where it acts


def _commit_and_notify_bus(cr):
    """Test cursors drop post-commit hooks, so the bus would never wake the
    websockets up; run them (the bus' NOTIFY among them) like a real commit."""
    cr.flush()
    cr.postcommit.run()
    _test_cursor_commit(cr)


@tagged("post_install", "-at_install")
class TestWaitingRoomTours(WaitingRoomCommon, WebsocketCase):
    """Real-time tours: the browsers use the real websocket and bus dispatch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.object(sql_db.TestCursor, "commit", _commit_and_notify_bus))
        cls.tour_user = cls.env["res.users"].create(
            {
                "name": "Tour Operator",
                "login": "tour_operator",
                "password": "tour_operator",
                "groups_id": [(6, 0, [cls.env.ref("clinic_base.group_clinic_operator").id])],
            }
        )
        Partner = cls.env["res.partner"]
        Entry = cls.env["clinic.waiting.entry"]
        cls.carla = Partner.create({"name": "Carla Rossi", "is_patient": True})
        cls.dieter = Partner.create({"name": "Dieter Vogel", "is_patient": True})
        cls.entry_carla = Entry.create({"patient_id": cls.carla.id, "room_id": cls.room.id})
        cls.entry_dieter = Entry.create({"patient_id": cls.dieter.id, "room_id": cls.room.id})
        for entry in (cls.entry_carla, cls.entry_dieter):
            entry.with_user(cls.tour_user).action_start_video()
        cls.entry_carla.with_user(cls.tour_user).action_hold()
        cls.entry_carla.with_user(cls.tour_user).action_leave_call()

    def test_tour_w1_w6_staff_dashboard(self):
        """Staff notify one caller and a filtered list, see the counter turn orange
        when the patient replies, then hold and leave a consultation."""
        self.start_tour(
            "/odoo/action-clinic_waiting_room.action_clinic_waiting_dashboard",
            "clinic_waiting_staff_tour",
            login="tour_operator",
        )
        self.assertEqual(
            (self.entry_anna.exchange_count, self.entry_anna.last_message_from), (2, "patient")
        )
        self.assertEqual(self.entry_carla.exchange_count, 1)
        self.assertEqual(self.entry_boris.exchange_count, 0)
        self.assertEqual(self.entry_dieter.exchange_count, 0)
        self.assertEqual(self.entry_dieter.state, "on_hold")

    def test_tour_w4_w7_patient_page(self):
        """The patient page receives the clinic's message live, replies, and follows the
        consultation into hold. The staff actions are RPCs from the same browser, whose
        session is the operator's; the patient side only uses its link."""
        self.start_tour(
            f"/clinic/wait/{self.entry_anna.sudo().access_token}",
            "clinic_waiting_patient_tour",
            login="tour_operator",
        )
        self.assertEqual(self.entry_anna.state, "on_hold")
        self.assertEqual(
            (self.entry_anna.exchange_count, self.entry_anna.last_message_from), (2, "patient")
        )


@tagged("post_install", "-at_install")
class TestDiscussCallHoldTour(WaitingRoomCommon, WebsocketCase):
    """W6/W7 in the real Discuss call UI: staff start the consultation from the
    dashboard, the patient joins the call (their guest session is created from
    Python, as the patient's own browser would), staff press Hold on the patient's
    participant card, then hang up: the patient is back in the waiting room on hold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.object(sql_db.TestCursor, "commit", _commit_and_notify_bus))
        cls.tour_user = cls.env["res.users"].create(
            {
                "name": "Call Operator",
                "login": "call_operator",
                "password": "call_operator",
                "groups_id": [(6, 0, [cls.env.ref("clinic_base.group_clinic_operator").id])],
            }
        )
        cls.emma = cls.env["res.partner"].create({"name": "Emma Koch", "is_patient": True})
        cls.entry_emma = cls.env["clinic.waiting.entry"].create(
            {"patient_id": cls.emma.id, "room_id": cls.room.id}
        )

    def _patient_joins_once_staff_are_in(self, browsing, stop, errors):
        """Pusher thread: as soon as the operator's call session exists, the patient's
        guest joins the call (what their browser's "Join" does)."""
        browsing.wait(PUSH_TIMEOUT)
        deadline = time.monotonic() + PUSH_TIMEOUT
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    channel = env["clinic.waiting.entry"].browse(self.entry_emma.id).channel_id
                    if channel.rtc_session_ids.partner_id == self.tour_user.partner_id:
                        channel.channel_member_ids.filtered("guest_id")._rtc_join_call()
                        return
                time.sleep(0.3)
            errors.append("the operator never joined the call")
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    def test_tour_w6_w7_hold_in_discuss_call(self):
        browsing, stop, errors = threading.Event(), threading.Event(), []
        pusher = threading.Thread(
            target=self._patient_joins_once_staff_are_in, args=(browsing, stop, errors)
        )
        pusher.start()
        navigate_to = ChromeBrowser.navigate_to

        def navigate_and_signal(browser, *args, **kwargs):
            result = navigate_to(browser, *args, **kwargs)
            browsing.set()
            return result

        try:
            with patch.object(ChromeBrowser, "navigate_to", navigate_and_signal):
                self.start_tour(
                    "/odoo/action-clinic_waiting_room.action_clinic_waiting_dashboard",
                    "clinic_waiting_discuss_hold_tour",
                    login="call_operator",
                )
        finally:
            stop.set()
            pusher.join(PUSH_TIMEOUT)
        self.assertFalse(errors)
        self.assertEqual(self.entry_emma.state, "on_hold")
        self.assertFalse(self.entry_emma.hold_requested)
        # sudo: discuss.channel.rtc.session - the call is over for everyone
        self.assertFalse(self.entry_emma.channel_id.sudo().rtc_session_ids)
