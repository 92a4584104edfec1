"""Missed-call call-backs (T16): a live list of numbers whose last call was missed."""

import json
from datetime import timedelta

from odoo import fields
from odoo.addons.bus.tests.common import WebsocketCase
from odoo.addons.clinic_telephony.tests.common import (
    T0,
    CommandsMixin,
    TelephonyCommon,
    event_dict,
)
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

ANNA = "+49301234567"


class MissedCallsMixin:
    def missed(self, call_id, number="030 1234567", start=T0, **extra):
        return self.play(call_id, ["call.ringing", "call.ended"], start=start, **extra)

    def rows(self, state="todo"):
        return self.env["clinic.missed.call"].search([("state", "=", state)])


@tagged("post_install", "-at_install")
class TestMissedCalls(MissedCallsMixin, CommandsMixin, TelephonyCommon, TransactionCase):
    def test_t16_missed_call_opens_a_row_with_its_deadline(self):
        call = self.missed("m-1")
        [row] = self.rows()
        self.assertEqual((row.number_e164, row.partner_id, row.call_id), (ANNA, self.anna, call))
        self.assertEqual(row.deadline, call.end_date + timedelta(minutes=15))
        self.assertEqual(row.missed_count, 1)

    def test_t16_deadline_is_a_company_setting(self):
        self.env.company.clinic_missed_call_minutes = 5
        call = self.missed("m-2")
        self.assertEqual(self.rows().deadline, call.end_date + timedelta(minutes=5))

    def test_t16_one_row_per_number(self):
        self.missed("m-3")
        self.missed("m-4", start=T0 + timedelta(minutes=3))
        [row] = self.rows()
        self.assertEqual(row.missed_count, 2)
        self.assertEqual(row.deadline, T0 + timedelta(seconds=1, minutes=15), "from the first miss")

    def test_t16_incoming_call_that_connects_closes_the_row(self):
        self.missed("m-5")
        later = T0 + timedelta(minutes=4)
        answered = self.play("m-6", ["call.ringing", "call.answered"], start=later)
        self.assertFalse(self.rows())
        [done] = self.rows("done")
        self.assertEqual((done.done_call_id, done.done_at), (answered, answered.answer_date))
        self.assertEqual(done.callback_seconds, 4 * 60)

    def test_t16_calling_back_from_the_row_uses_click_to_call(self):
        self.missed("m-7")
        row = self.rows().with_user(self.operator)
        self.assertTrue(row.action_call_back())
        [command] = self.fake_pbx.received
        self.assertEqual((command["command"], command["number"]), ("originate", ANNA))
        call = self.env["clinic.call"].search([("pbx_call_id", "=", command["call_id"])])
        self.assertEqual(call.partner_id, self.anna)
        self.assertTrue(self.rows(), "the row stays until the patient answers")
        for kind in ("call.ringing", "call.answered"):
            self.ingest(
                event_dict(
                    f"{call.pbx_call_id}-{kind}",
                    kind,
                    call.pbx_call_id,
                    direction="outbound",
                    at=T0 + timedelta(minutes=10),
                )
            )
        self.assertFalse(self.rows())
        self.assertEqual(self.rows("done").done_call_id, call)

    def test_t16_answered_and_hidden_calls_make_no_row(self):
        self.play("m-8", ["call.ringing", "call.answered", "call.ended"])
        self.missed("m-9", source="prodoctors")
        self.assertFalse(self.env["clinic.missed.call"].search([]))

    def test_t16_rows_stay_in_their_clinic(self):
        self.missed("m-10")
        other = self.env["res.company"].create({"name": "Second clinic"})
        stranger = new_test_user(
            self.env,
            login="missed_stranger",
            groups="clinic_base.group_clinic_operator",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        Rows = self.env["clinic.missed.call"].with_user(stranger)
        self.assertFalse(Rows.search([]))
        with self.assertRaises(AccessError):
            self.rows().with_user(stranger).action_call_back()

    def test_t16_operators_read_but_never_write_rows(self):
        self.missed("m-11")
        row = self.rows().with_user(self.operator)
        self.assertEqual(row.number_display, "030 1234567")
        with self.assertRaises(AccessError):
            row.write({"deadline": T0})


@tagged("post_install", "-at_install")
class TestMissedCallsLive(MissedCallsMixin, TelephonyCommon, WebsocketCase):
    def test_t16_connected_call_removes_the_row_on_another_operator_s_screen(self):
        """Operator 2 watches; a call with the number connects at operator 1's phone."""
        self.missed("ml-1")
        self.operator2.password = "clinic_operator2_pw"
        session = self.authenticate("clinic_operator2", "clinic_operator2_pw")
        websocket = self.websocket_connect(cookie=f"session_id={session.sid};")
        self.subscribe(websocket, [], self.env["bus.bus"]._bus_last_id())
        self.play("ml-2", ["call.ringing", "call.answered"], start=T0 + timedelta(minutes=2))
        self.trigger_notification_dispatching([self.operator2.partner_id])
        messages = [n["message"] for n in json.loads(websocket.recv())]
        rows = [m["payload"] for m in messages if m["type"] == "clinic_calldrive_telephony/missed"]
        self.assertEqual([(r["state"], r["number"]) for r in rows], [("done", "030 1234567")])


@tagged("post_install", "-at_install")
class TestMissedCallsTour(MissedCallsMixin, TelephonyCommon, HttpCase):
    def test_t16_row_colour_follows_the_deadline(self):
        now = fields.Datetime.now()
        self.missed("mt-1", start=now - timedelta(minutes=1))
        self.missed(
            "mt-2",
            start=now - timedelta(hours=1),
            **{"from": "+7 916 234-56-78"},
        )
        self.assertEqual(len(self.rows()), 2)
        self.start_tour("/odoo/missed-calls", "clinic_missed_calls_deadline_tour", login="admin")
