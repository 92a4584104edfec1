import threading
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import api, fields
from odoo.addons.bus.models.bus import channel_with_db, dispatch, hashable
from odoo.addons.bus.websocket import WebsocketConnectionHandler
from odoo.tests import HttpCase, tagged

from .common import CallDriveCommon


@tagged("post_install", "-at_install")
class TestCallDriveTours(CallDriveCommon, HttpCase):
    def test_c1_c4_tour_operator_works_the_confirmation_list(self):
        """Pick a list, see another operator's lock, call, finish twice, abort a crashed row."""
        self.operator.password = "clinic_operator_pw"
        call_list = self._confirmation_list()
        self._line_of(call_list, self.boris).with_user(self.operator2).action_start_call()
        # A call the tour's operator left open when their browser crashed.
        carl_line = self._line_of(call_list, self.carl)
        carl_line.with_user(self.operator).action_start_call()

        self.start_tour(
            "/odoo/call-drive",
            "clinic_calldrive_operator_tour",
            login="clinic_operator",
            password="clinic_operator_pw",
        )

        anna_line = self._line_of(call_list, self.anna)
        self.assertEqual(anna_line.state, "done")
        self.assertEqual(self.event_anna.clinic_state, "confirmed")
        self.assertEqual(
            anna_line.attempt_ids.sorted("id").mapped("result_id"),
            self.result_no_answer | self.result_confirmed,
        )
        self.assertEqual(
            anna_line.attempt_ids.sorted("id")[0].comment, "Voicemail, call after five"
        )
        self.assertFalse(carl_line.lock_user_id)
        self.assertEqual(carl_line.attempt_ids.outcome, "aborted")
        self.assertEqual(self._line_of(call_list, self.boris).lock_user_id, self.operator2)

    def test_c4_tour_release_an_over_age_lock(self):
        """A lock older than the limit, holder online: note, offer, release, call."""
        self.operator.password = "clinic_operator_pw"
        call_list = self._confirmation_list()
        boris_line = self._line_of(call_list, self.boris)
        boris_line.with_user(self.operator2).action_start_call()
        long_ago = fields.Datetime.now() - timedelta(minutes=20)
        # sudo: clinic.call.list.line - the test ages the lock, as 20 minutes would
        boris_line.sudo().lock_date = long_ago
        self.env["bus.presence"].create(
            {"user_id": self.operator2.id, "status": "online", "last_poll": fields.Datetime.now()}
        )
        self.env["clinic.call.list.line"]._cron_release_stale_locks()
        self.assertEqual(boris_line.lock_user_id, self.operator2)

        self.start_tour(
            "/odoo/call-drive",
            "clinic_calldrive_release_tour",
            login="clinic_operator",
            password="clinic_operator_pw",
        )

        self.assertEqual(boris_line.lock_user_id, self.operator)
        outcomes = boris_line.attempt_ids.sorted("id").mapped(lambda a: (a.user_id, a.outcome))
        self.assertEqual(outcomes, [(self.operator2, "released"), (self.operator, "open")])


@tagged("post_install", "-at_install")
class TestCallDriveLiveTour(CallDriveCommon, HttpCase):
    """Two operators: one watches the list in Chromium, the other locks a row (C4 live)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo refuses websockets while tests run; this test is about them.
        cls.startClassPatcher(
            patch.object(WebsocketConnectionHandler, "websocket_allowed", return_value=True)
        )

    def _lock_when_watched(self, call_list, line, row_shown, errors):
        """Once the browser shows the free row and listens to the list, lock the row as
        the other operator."""
        channel = hashable(channel_with_db(self.registry.db_name, call_list))
        try:
            if not row_shown.wait(timeout=30):
                raise TimeoutError("the operator never opened the row")
            deadline = time.monotonic() + 10
            while not dispatch._channels_to_ws.get(channel):
                if time.monotonic() > deadline:
                    raise TimeoutError("the operator screen never subscribed to the list")
                time.sleep(0.1)
            with self.registry.cursor() as cr:
                env = api.Environment(cr, self.operator2.id, {})
                env["clinic.call.list.line"].browse(line.id).action_start_call()
            # What the bus's NOTIFY listener does after a real commit.
            for websocket in list(dispatch._channels_to_ws.get(channel, ())):
                websocket.trigger_notification_dispatching()
        except Exception as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)

    def test_c4_tour_lock_appears_live_on_other_screen(self):
        self.operator.password = "clinic_operator_pw"
        call_list = self._confirmation_list()
        line = self._line_of(call_list, self.boris)
        errors, row_shown = [], threading.Event()
        Line = type(self.env["clinic.call.list.line"])
        card = Line.operator_card

        def card_then_signal(records):
            data = card(records)
            if records.id == line.id:
                row_shown.set()
            return data

        locker = threading.Thread(
            target=self._lock_when_watched, args=(call_list, line, row_shown, errors)
        )
        locker.start()
        try:
            with patch.object(Line, "operator_card", card_then_signal):
                self.start_tour(
                    "/odoo/call-drive",
                    "clinic_calldrive_live_tour",
                    login="clinic_operator",
                    password="clinic_operator_pw",
                )
        finally:
            row_shown.set()
            locker.join(timeout=35)
        self.assertFalse(errors)
        self.assertEqual(line.lock_user_id, self.operator2)
