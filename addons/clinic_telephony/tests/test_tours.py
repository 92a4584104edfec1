"""Telephony in the browser (T1, T4, T5, T10): tours in headless Chromium.

PBX events are pushed from Python while a tour runs: a helper thread waits for
what the user did on screen to show in the database (a phone chosen, a patient
picked), then ingests the next events through a test cursor, as a webhook
request would, and wakes the browser's websocket.
"""

import threading
import time
import uuid
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.bus.models.bus import channel_with_db, dispatch, hashable
from odoo.addons.bus.tests.common import WebsocketCase

from ..tools import events as ev

PUSH_TIMEOUT = 60  # seconds a pusher waits for the tour to get where it needs


class TelephonyTourCase(WebsocketCase):
    """A clinic in Germany with one PBX, two desk phones and two linked operators."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.de")
        cls.pbx = cls.env["clinic.pbx"].create({"name": "Front desk PBX", "code": "tourpbx"})
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
        """Ingest like the webhook does, then wake the websockets of the users told."""
        pbx = self.pbx.with_env(env).sudo()
        for event in events:
            pbx._clinic_ingest(event, None)
        env.cr.flush()  # runs precommit: writes the bus.bus rows
        partners = env["res.users"].search([("clinic_telephony_allowed", "=", True)]).partner_id
        for partner in partners:
            channel = hashable(channel_with_db(env.cr.dbname, partner))
            for websocket in dispatch._channels_to_ws.get(channel, []):
                websocket.trigger_notification_dispatching()

    def _push_when(self, condition, action):
        """In the background, run ``action(env)`` once ``condition(env)`` holds."""
        errors = []

        def pusher():
            deadline = time.monotonic() + PUSH_TIMEOUT
            while time.monotonic() < deadline:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    if condition(env):
                        try:
                            action(env)
                        except Exception as exc:  # noqa: BLE001 - reported by the test
                            errors.append(exc)
                        return
                time.sleep(0.3)
            errors.append(TimeoutError("the tour never reached the pusher's condition"))

        thread = threading.Thread(target=pusher, name="clinic_telephony_tour_pusher")
        thread.start()
        self.addCleanup(thread.join, PUSH_TIMEOUT)
        return errors

    def _holds(self, user, phone):
        return lambda env: env["clinic.telephony.phone"].browse(phone.id).user_id.id == user.id


@tagged("post_install", "-at_install")
class TestCallCardTours(TelephonyTourCase):
    def test_t4_incoming_call_card_for_bound_user_only(self):
        """The bound user sees the card of a call to their phone; a colleague does not (T1, T4)."""
        self._start_shift(self.jonas, self.desk2)
        errors = self._push_when(
            self._holds(self.irina, self.desk1),
            lambda env: self._ingest(env, self._event("in-1", ev.RINGING, "+49 30 1234567")),
        )
        self.start_tour("/odoo", "clinic_telephony_incoming_card_tour", login="tel_irina")
        self.assertFalse(errors)
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
