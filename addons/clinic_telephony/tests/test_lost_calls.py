"""No call open forever (T14): the sweep closes calls the PBX never ended."""

import json

from odoo.addons.bus.tests.common import WebsocketCase
from odoo.tests import TransactionCase, tagged

from .common import TelephonyCommon


class LostCallsMixin:
    def age(self, call, minutes):
        """Pretend the last event of ``call`` was received ``minutes`` ago."""
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE clinic_call_event
                  SET received_at = received_at - %s * interval '1 minute'
                WHERE call_id = %s""",
            [minutes, call.id],
        )


@tagged("post_install", "-at_install")
class TestLostCalls(LostCallsMixin, TelephonyCommon, TransactionCase):
    def test_t14_ringing_and_talking_calls_past_limits_closed_as_lost(self):
        ringing = self.play("lost-r", ["call.ringing"])
        talking = self.play("lost-t", ["call.ringing", "call.answered"])
        fresh = self.play("fresh-r", ["call.ringing"])
        long_talk = self.play("long-t", ["call.ringing", "call.answered"])
        self.age(ringing, 3)  # limit 2 min
        self.age(talking, 4 * 60 + 1)  # limit 4 h
        self.age(fresh, 1)
        self.age(long_talk, 3 * 60)  # talking for 3 h is allowed
        self.clear_bus()
        self.assertEqual(self.env["clinic.call"]._close_lost_calls(), 2)
        self.assertEqual(
            (ringing.state, ringing.lost, ringing.call_type), ("ended", True, "missed")
        )
        self.assertEqual(
            (talking.state, talking.lost, talking.call_type), ("ended", True, "incoming")
        )
        self.assertEqual(talking.talk_duration, 0, "no talk time is invented")
        self.assertEqual((fresh.state, long_talk.state), ("ringing", "talking"))
        self.assertFalse(fresh.lost or long_talk.lost)
        cards = self.bus_payloads("clinic_telephony/call", self.operator.partner_id)
        self.assertEqual(
            {(card["id"], card["state"], card["lost"]) for card in cards},
            {(ringing.id, "ended", True), (talking.id, "ended", True)},
        )
        # A second sweep finds nothing more to do.
        self.assertEqual(self.env["clinic.call"]._close_lost_calls(), 0)

    def test_t14_limits_are_per_pbx(self):
        self.pbx.max_ringing_minutes = 10
        call = self.play("lost-slow", ["call.ringing"])
        self.age(call, 5)
        self.env["clinic.call"]._close_lost_calls()
        self.assertEqual(call.state, "ringing")
        self.age(call, 6)
        self.env["clinic.call"]._close_lost_calls()
        self.assertTrue(call.lost)

    def test_t14_late_final_event_still_ends_the_call_properly(self):
        call = self.play("late-end", ["call.ringing", "call.answered"])
        self.age(call, 5 * 60)
        self.env["clinic.call"]._close_lost_calls()
        self.assertTrue(call.lost)
        self.play("late-end", ["call.ended"], start=call.answer_date.replace(second=0))
        self.assertFalse(call.lost)
        self.assertEqual(call.state, "ended")

    def test_t14_batches_report_progress(self):
        calls = [self.play(f"many-{n}", ["call.ringing"]) for n in range(3)]
        for call in calls:
            self.age(call, 10)
        self.assertEqual(self.env["clinic.call"]._close_lost_calls(batch=2), 2)
        self.assertEqual(self.env["clinic.call"]._close_lost_calls(batch=2), 1)
        self.assertTrue(all(call.lost for call in calls))

    def test_t14_cron_exists_and_runs(self):
        cron = self.env.ref("clinic_telephony.ir_cron_close_lost_calls")
        call = self.play("cron-lost", ["call.ringing"])
        self.age(call, 3)
        cron.method_direct_trigger()
        self.assertTrue(call.lost)


@tagged("post_install", "-at_install")
class TestLostCallsLive(LostCallsMixin, TelephonyCommon, WebsocketCase):
    def test_t14_lost_card_reaches_the_operator_websocket(self):
        """The sweep's verdict reaches the operator's open screens over the real websocket."""
        call = self.play("ws-lost", ["call.ringing"])
        self.operator.password = "clinic_operator_pw"
        session = self.authenticate("clinic_operator", "clinic_operator_pw")
        websocket = self.websocket_connect(cookie=f"session_id={session.sid};")
        self.subscribe(websocket, [], self.env["bus.bus"]._bus_last_id())
        self.age(call, 3)
        self.env["clinic.call"]._close_lost_calls()
        self.trigger_notification_dispatching([self.operator.partner_id])
        messages = [n["message"] for n in json.loads(websocket.recv())]
        cards = [m["payload"] for m in messages if m["type"] == "clinic_telephony/call"]
        self.assertEqual(
            [(c["id"], c["state"], c["lost"]) for c in cards], [(call.id, "ended", True)]
        )
