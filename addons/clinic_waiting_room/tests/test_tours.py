from unittest.mock import patch

from odoo import sql_db
from odoo.addons.bus.tests.common import WebsocketCase
from odoo.addons.clinic_base.tests.tour_pushers import TourPushersMixin
from odoo.tests import tagged

from .common import WaitingRoomCommon

_test_cursor_commit = sql_db.TestCursor.commit


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


@tagged("post_install", "-at_install")
class TestWaitingRoomTours(LiveTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
