"""Telephony in the browser (T1, T4, T5, T10): tours in headless Chromium.

PBX events are pushed from Python while a tour runs: a helper thread waits for
what the user did on screen to show in the database (a phone chosen, a patient
picked), then ingests the next events through a test cursor, as a webhook
request would, and wakes the browser's websocket.
"""

import uuid
from datetime import timedelta

from odoo import fields
from odoo.addons.bus.models.bus import channel_with_db, dispatch, hashable
from odoo.addons.bus.tests.common import WebsocketCase
from odoo.addons.clinic_base.tests.tour_pushers import TourPushersMixin
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME

from ..tools import events as ev
from ..tools import simulator
from .common import PbxTimeoutMixin, closed_port_url

# The Clinic app's landing screen, where the shift question comes by itself (T1, issue
# 17); a list, so that no calendar is on screen before a tour opens one.
CLINIC_APP = "/odoo/action-clinic_base.action_clinic_patient"


class TelephonyTourCase(PbxTimeoutMixin, TourPushersMixin, WebsocketCase):
    """A clinic in Germany with one PBX, two desk phones and two linked operators.

    The PBX takes click-to-call commands at a local endpoint (T12)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.de")
        cls.fake_pbx = cls.start_fake_pbx("tour-secret")
        cls.pbx = cls.env["clinic.pbx"].create(
            {
                "name": "Front desk PBX",
                "code": "tourpbx",
                "secret": "tour-secret",
                "command_url": cls.fake_pbx.url,
            }
        )
        Phone = cls.env["clinic.telephony.phone"]
        cls.desk1 = Phone.create({"name": "Desk 1", "extension": "101", "pbx_id": cls.pbx.id})
        cls.desk2 = Phone.create({"name": "Desk 2", "extension": "102", "pbx_id": cls.pbx.id})
        cls.irina = cls._operator("tel_irina", "Irina Front")
        cls.jonas = cls._operator("tel_jonas", "Jonas Desk")
        Partner = cls.env["res.partner"]
        cls.anna = Partner.create(
            {
                "name": "Anna Schmidt",
                "is_patient": True,
                "birthdate": "1980-02-03",
                "phone": "030 1234567",
            }
        )
        # Two patients share one home number: "Unknown patient" until the caller is picked.
        cls.twin_a = Partner.create(
            {"name": "Lena Wolf", "is_patient": True, "phone": "030 7654321"}
        )
        cls.twin_b = Partner.create(
            {"name": "Max Wolf", "is_patient": True, "phone": "030 7654321"}
        )

    @classmethod
    def _operator(cls, login, name):
        user = new_test_user(
            cls.env,
            login=login,
            name=name,
            password=login,
            groups="clinic_base.group_clinic_operator",
        )
        user.clinic_telephony_allowed = True
        return user

    def _start_shift(self, user, phone):
        """``user`` already chose ``phone`` today: no shift dialog."""
        phone.user_id = user
        user.clinic_shift_choice_date = fields.Date.context_today(user)

    # --- PBX events ------------------------------------------------------------

    @staticmethod
    def _event(call_id, kind, number, extension="101", direction="inbound", delay=0):
        remote, local = (number, extension) if direction == "inbound" else (extension, number)
        moment = fields.Datetime.now() + timedelta(seconds=delay)
        return ev.parse_event(
            {
                "event_id": f"{call_id}:{kind}:{uuid.uuid4()}",
                "type": kind,
                "call_id": call_id,
                "direction": direction,
                "from": remote,
                "to": local,
                "extension": extension,
                "timestamp": moment.isoformat(),
            }
        )

    def _ingest(self, env, *events):
        """Ingest like the webhook does, then deliver the bus notifications."""
        pbx = self.pbx.with_env(env).sudo()
        for event in events:
            pbx._ingest(event, None)
        self._wake_websockets(env)

    @staticmethod
    def _wake_websockets(env):
        """Write the pending bus.bus rows and wake the operators' websockets.

        The test cursor never commits, so Odoo's post-commit NOTIFY does not
        happen: do what it would trigger (see bus.tests.common.WebsocketCase).
        """
        env.cr.flush()  # runs the precommit hooks, which write the bus.bus rows
        partners = env["res.users"].search([("clinic_telephony_allowed", "=", True)]).partner_id
        for partner in partners:
            channel = hashable(channel_with_db(env.cr.dbname, partner))
            for websocket in dispatch._channels_to_ws.get(channel, []):
                websocket.trigger_notification_dispatching()

    def _run_tour(self, tour, login, url="/odoo", pushers=()):
        self.run_tour_with_pushers(url, tour, login, pushers)

    def _holds(self, user, phone):
        return lambda env: env["clinic.telephony.phone"].browse(phone.id).user_id.id == user.id


@tagged("post_install", "-at_install")
class TestCallCardTours(TelephonyTourCase):
    def test_t4_incoming_call_card_for_bound_user_only(self):
        """The bound user sees the card of a call to their phone; a colleague does not (T1, T4)."""
        self._start_shift(self.jonas, self.desk2)
        ring = self._event("in-1", ev.RINGING, "+49 30 1234567")
        self._run_tour(
            "clinic_telephony_incoming_card_tour",
            "tel_irina",
            url=CLINIC_APP,
            pushers=[(self._holds(self.irina, self.desk1), lambda env: self._ingest(env, ring))],
        )
        call = self.env["clinic.call"].search([("pbx_call_id", "=", "in-1")])
        self.assertEqual(call.state, "ringing")
        self.assertEqual(call.user_id, self.irina)
        # Jonas works at another phone: no card, neither live nor on reload.
        self.start_tour("/odoo", "clinic_telephony_no_card_tour", login="tel_jonas")


@tagged("post_install", "-at_install")
class TestClickToCallTours(TelephonyTourCase):
    def test_t5_click_to_call_from_patient_form(self):
        """ "Call" on the patient form places the call and shows an outgoing card (T5)."""
        self._start_shift(self.irina, self.desk1)
        self.start_tour(
            f"/odoo/patients/{self.anna.id}",
            "clinic_telephony_click_to_call_tour",
            login="tel_irina",
        )
        call = self.env["clinic.call"].search([("user_id", "=", self.irina.id)])
        self.assertEqual(len(call), 1)
        self.assertEqual(call.direction, "outbound")
        self.assertEqual(call.number_e164, "+49301234567")
        self.assertEqual(call.partner_id, self.anna)

    def test_t10_paused_telephony_refuses_click_to_call(self):
        """While a manager paused telephony the control says so and calls are refused (T5, T10)."""
        self._start_shift(self.irina, self.desk1)
        self.env["res.users"].clinic_telephony_set_paused(True)
        self.start_tour(
            f"/odoo/patients/{self.anna.id}", "clinic_telephony_paused_tour", login="tel_irina"
        )
        self.assertFalse(self.env["clinic.call"].search([]))

    def test_t5_click_to_call_from_appointment_form(self):
        """The phone icon beside the patient's number on the appointment calls them (T5)."""
        self._start_shift(self.irina, self.desk1)
        visit = self.env["calendar.event"].create(
            {
                "patient_id": self.anna.id,
                "start": fields.Datetime.now() + timedelta(days=1),
                "stop": fields.Datetime.now() + timedelta(days=1, minutes=30),
            }
        )
        self._run_tour(
            "clinic_telephony_appointment_call_tour",
            "tel_irina",
            url=f"/odoo/appointments/{visit.id}",
        )
        call = self.env["clinic.call"].search([("user_id", "=", self.irina.id)])
        self.assertEqual((call.direction, call.partner_id), ("outbound", self.anna))

    def test_t5_click_to_call_from_call_history(self):
        """A "Call history" user calls a number back from the history list (T5, T6)."""
        self.irina.groups_id |= self.env.ref("clinic_telephony.group_call_history")
        self._start_shift(self.irina, self.desk1)
        for kind, delay in ((ev.RINGING, 0), (ev.ENDED, 20)):
            self.pbx._ingest(
                self._event("in-old", kind, "+49 30 1234567", delay=delay - 3600), None
            )
        self._run_tour("clinic_telephony_history_call_tour", "tel_irina", url="/odoo/calls")
        call = self.env["clinic.call"].search([("direction", "=", "outbound")])
        self.assertEqual((call.number_e164, call.partner_id), ("+49301234567", self.anna))

    def _failed_call_tour(self, tour):
        self._start_shift(self.irina, self.desk1)
        with self.assertLogs("odoo.addons.clinic_telephony.models.clinic_pbx_command", "WARNING"):
            self._run_tour(tour, "tel_irina", url=f"/odoo/patients/{self.anna.id}")
        call = self.env["clinic.call"].search([("user_id", "=", self.irina.id)])
        self.assertEqual(call.state, "failed")
        return call

    def test_t12_pbx_error_shows_red_banner(self):
        """The PBX answers 500: the call fails at once, the banner gives the reason (T5, T12)."""
        self.fake_pbx.status = 500
        self.addCleanup(setattr, self.fake_pbx, "status", None)
        call = self._failed_call_tour("clinic_telephony_failed_call_500_tour")
        self.assertEqual(self.fake_pbx.requests, 1, "an originate is never retried")
        self.assertEqual(self.fake_pbx.received, [], "nothing was accepted")
        self.assertIn("HTTP 500", call.failure_reason)

    def test_t12_pbx_silence_shows_red_banner_after_5_seconds(self):
        """The PBX does not answer: after 5 s the call fails and the banner says so (T12)."""
        self.fake_pbx.delay = 8
        self.addCleanup(setattr, self.fake_pbx, "delay", 0)
        self._failed_call_tour("clinic_telephony_failed_call_timeout_tour")

    def test_t12_unreachable_pbx_shows_red_banner(self):
        """Nothing listens at the command URL: the banner says the PBX is unreachable (T12)."""
        self.pbx.command_url = closed_port_url()
        self._failed_call_tour("clinic_telephony_failed_call_unreachable_tour")


@tagged("post_install", "-at_install")
class TestSimulatedClickToCallTour(TelephonyTourCase):
    def test_t12_simulator_plays_click_to_call_end_to_end(self):
        """Patient form -> Call -> outgoing card -> talking -> ended -> history row (T12).

        The simulator's listener receives the signed command and, like a PBX, reports
        the call through the signed webhook of the running server.
        """
        self.pbx.kind = "simulator"
        webhook = f"http://127.0.0.1:{self.http_port()}/clinic/telephony/tourpbx/events"
        player = simulator.CallPlayer(
            webhook, "tour-secret", answer_after=1.0, talk_for=2.0, report=lambda line: None
        )
        # The test server only serves requests of the running browser test.
        player.session.cookies.set(TEST_CURSOR_COOKIE_NAME, f"{self.canonical_tag}_browser_js")
        listener = simulator.CommandListener("tour-secret", player).start()
        self.addCleanup(listener.stop)
        self.pbx.command_url = listener.url
        self.irina.groups_id |= self.env.ref("clinic_telephony.group_call_history")
        self._start_shift(self.irina, self.desk1)

        def reached(state):
            def condition(env):
                call = env["clinic.call"].search([("user_id", "=", self.irina.id)])
                return call.state == state

            return condition

        wake = self._wake_websockets
        self._run_tour(
            "clinic_telephony_simulated_click_to_call_tour",
            "tel_irina",
            url=f"/odoo/patients/{self.anna.id}",
            # The webhook's transactions do not NOTIFY under the test cursor: wake the
            # operator's websocket as the PostgreSQL notification would.
            pushers=[(reached("talking"), wake), (reached("ended"), wake)],
        )
        call = self.env["clinic.call"].search([("user_id", "=", self.irina.id)])
        self.assertEqual(
            (call.state, call.call_type, call.partner_id), ("ended", "outgoing", self.anna)
        )
        self.assertGreaterEqual(call.talk_duration, 1)
        self.start_tour("/odoo/calls", "clinic_telephony_history_row_tour", login="tel_irina")


@tagged("post_install", "-at_install")
class TestAnsweredCallTours(TelephonyTourCase):
    def test_t4_answered_call_book_appointment(self):
        """Answered -> Book appointment -> free slot -> form prefilled with the patient (T4)."""
        events = [
            self._event("in-book", ev.RINGING, "+49 30 1234567"),
            self._event("in-book", ev.ANSWERED, "+49 30 1234567", delay=1),
        ]
        self._run_tour(
            "clinic_telephony_book_appointment_tour",
            "tel_irina",
            url=CLINIC_APP,
            pushers=[(self._holds(self.irina, self.desk1), lambda env: self._ingest(env, *events))],
        )
        appointment = self.env["calendar.event"].search([("patient_id", "=", self.anna.id)])
        self.assertEqual(len(appointment), 1)
        self.assertEqual(appointment.start.strftime("%H:%M:%S"), "10:00:00")

    def test_t4_unknown_number_add_patient(self):
        """An answered call from an unknown number offers "Add patient" with the number (T4)."""
        self._start_shift(self.irina, self.desk1)
        self.pbx._ingest(self._event("in-new", ev.RINGING, "+49 30 5550001"), None)
        self.pbx._ingest(self._event("in-new", ev.ANSWERED, "+49 30 5550001", delay=1), None)
        self.start_tour("/odoo", "clinic_telephony_add_patient_tour", login="tel_irina")
        patient = self.env["res.partner"].search([("name", "=", "Paula Neu")])
        self.assertTrue(patient.is_patient)
        self.assertEqual(patient.clinic_phone_ids.number_e164, "+49305550001")

    def test_t3_aggregator_call_shows_no_number(self):
        """A call through a doctor directory's line shows the patient, never the number (T3)."""
        self.env["clinic.pbx.source"].create(
            {"pbx_id": self.pbx.id, "source_code": "prodoctors", "name": "ProDoctors"}
        )
        self._start_shift(self.irina, self.desk1)
        ring = self._event("in-aggr", ev.RINGING, "+49 30 1234567")
        self.pbx._ingest(ev.CallEvent(**{**ring.__dict__, "source": "prodoctors"}), None)
        self._run_tour("clinic_telephony_aggregator_tour", "tel_irina")


@tagged("post_install", "-at_install")
class TestFinishedCallTours(TelephonyTourCase):
    def test_t4_missed_card_hides_after_10_seconds(self):
        """A missed call's card shows the patient, then goes away by itself (T4)."""
        events = [
            self._event("in-missed", ev.RINGING, "+49 30 1234567"),
            self._event("in-missed", ev.ENDED, "+49 30 1234567", delay=20),
        ]
        self._run_tour(
            "clinic_telephony_missed_card_tour",
            "tel_irina",
            url=CLINIC_APP,
            pushers=[(self._holds(self.irina, self.desk1), lambda env: self._ingest(env, *events))],
        )
        call = self.env["clinic.call"].search([("pbx_call_id", "=", "in-missed")])
        self.assertEqual(call.call_type, "missed")

    def test_t4_second_call_shows_n_more_on_the_line(self):
        """While talking, a further call shows "1 more on the line"; it comes next (T3, T4)."""
        twins = "+49 30 7654321"
        calls_in = [
            self._event("in-first", ev.RINGING, twins),
            self._event("in-first", ev.ANSWERED, twins, delay=1),
            self._event("in-second", ev.RINGING, "+49 30 1234567", delay=2),
        ]
        first_ends = self._event("in-first", ev.ENDED, twins, delay=30)

        def patient_chosen(env):
            call = env["clinic.call"].search([("pbx_call_id", "=", "in-first")])
            return bool(call.partner_id)

        self._run_tour(
            "clinic_telephony_more_on_the_line_tour",
            "tel_irina",
            url=CLINIC_APP,
            pushers=[
                (self._holds(self.irina, self.desk1), lambda env: self._ingest(env, *calls_in)),
                (patient_chosen, lambda env: self._ingest(env, first_ends)),
            ],
        )
        calls = self.env["clinic.call"].search([("user_id", "=", self.irina.id)])
        self.assertEqual(
            {(c.pbx_call_id, c.state) for c in calls},
            {("in-first", "ended"), ("in-second", "ringing")},
        )
        self.assertEqual(
            calls.filtered(lambda c: c.pbx_call_id == "in-first").partner_id, self.twin_a
        )


@tagged("post_install", "-at_install")
class TestShiftTours(TelephonyTourCase):
    def test_t1_single_phone_warning_and_takeover(self):
        """First login, one phone held by a colleague: warning, confirm, take over (T1)."""
        self.desk2.unlink()
        self._start_shift(self.jonas, self.desk1)
        self.start_tour(CLINIC_APP, "clinic_telephony_takeover_tour", login="tel_irina")
        self.assertEqual(self.desk1.user_id, self.irina)
        self.assertFalse(self.jonas.clinic_phone_id)
        self.assertEqual(self.irina.clinic_shift_choice_date, fields.Date.context_today(self.irina))

    def test_t1_not_working_with_telephony(self):
        """Choosing "Not working with telephony now" answers the dialog for the day (T1)."""
        self.start_tour(CLINIC_APP, "clinic_telephony_no_phone_tour", login="tel_irina")
        self.assertFalse(self.irina.clinic_phone_id)
        self.assertEqual(self.irina.clinic_shift_choice_date, fields.Date.context_today(self.irina))

    def test_t1_previous_holder_sees_notice(self):
        """Real time: Jonas takes over Irina's phone; her screen says so at the bottom (T1)."""

        def jonas_takes_desk1(env):
            users = env["res.users"].with_user(self.jonas.id)
            result = users.clinic_telephony_set_phone(self.desk1.id, force=True)
            assert result == {"status": "ok"}, result
            self._wake_websockets(env)

        self._run_tour(
            "clinic_telephony_taken_notice_tour",
            "tel_irina",
            url=CLINIC_APP,
            pushers=[(self._holds(self.irina, self.desk1), jonas_takes_desk1)],
        )
        self.assertEqual(self.desk1.user_id, self.jonas)

    def test_t10_pause_reaches_open_screens(self):
        """Real time: a manager pauses telephony; the operator's control shows it (T10)."""

        def manager_pauses(env):
            env["res.users"].with_user(self.env.ref("base.user_admin")).clinic_telephony_set_paused(
                True
            )
            self._wake_websockets(env)

        self._run_tour(
            "clinic_telephony_paused_live_tour",
            "tel_irina",
            url=CLINIC_APP,
            pushers=[(self._holds(self.irina, self.desk1), manager_pauses)],
        )
