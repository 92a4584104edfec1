"""Folding PBX events into calls and caller identification (T1-T3, R1)."""

from datetime import timedelta
from random import Random

from odoo.tests import TransactionCase, tagged

from .common import T0, TelephonyCommon, event_dict


@tagged("post_install", "-at_install")
class TestIngest(TelephonyCommon, TransactionCase):
    def test_r1_replayed_event_has_one_effect(self):
        body = event_dict("e-1", "call.ringing", "c-1")
        self.assertEqual(self.ingest(body), "ok")
        self.assertEqual(self.ingest(body), "duplicate")
        call = self.call("c-1")
        self.assertEqual(len(call), 1)
        self.assertEqual(len(call.event_ids), 1)

    def test_r1_replay_writes_nothing(self):
        self.play("c-9", ["call.ringing", "call.answered"])
        call = self.call("c-9")
        self.env.flush_all()
        self.env.cr.execute("SELECT ctid FROM clinic_call WHERE id = %s", [call.id])
        version = self.env.cr.fetchone()
        self.assertEqual(
            self.ingest(event_dict("c-9-call.answered", "call.answered", "c-9")), "duplicate"
        )
        self.env.cr.execute("SELECT ctid FROM clinic_call WHERE id = %s", [call.id])
        self.assertEqual(self.env.cr.fetchone(), version)

    def test_r1_event_id_reused_for_another_call_is_a_duplicate(self):
        self.assertEqual(self.ingest(event_dict("e-x", "call.ringing", "c-10")), "ok")
        self.assertEqual(self.ingest(event_dict("e-x", "call.ringing", "c-11")), "duplicate")
        self.assertFalse(self.call("c-11"))

    def test_r1_out_of_order_gives_one_consistent_call(self):
        bodies = [
            event_dict("o-1", "call.ringing", "c-2", T0),
            event_dict("o-2", "call.answered", "c-2", T0 + timedelta(seconds=4)),
            event_dict("o-3", "call.ended", "c-2", T0 + timedelta(seconds=94)),
            event_dict(
                "o-4",
                "call.recording",
                "c-2",
                T0 + timedelta(seconds=99),
                recording_url="https://pbx.example.com/rec/c-2.mp3",
            ),
        ]
        for seed in range(5):
            order = list(bodies) * 2
            Random(seed).shuffle(order)
            call_id = f"c-2-{seed}"
            for body in order:
                self.ingest(dict(body, event_id=f"{body['event_id']}-{seed}", call_id=call_id))
            call = self.call(call_id)
            self.assertEqual(len(call), 1)
            self.assertEqual(
                (call.state, call.call_type, call.talk_duration, call.start_date),
                ("ended", "incoming", 90, T0),
            )
            self.assertEqual(call.recording_state, "pending", "to be fetched into Odoo")
            self.assertEqual(len(call.event_ids), 4)

    def test_t2_missed_call_derived(self):
        call = self.play("c-3", ["call.ringing", "call.ended"])
        self.assertEqual((call.state, call.call_type, call.talk_duration), ("ended", "missed", 0))
        self.assertEqual(call.user_id, self.operator, "the missed call counts for the holder")

    def test_t2_outgoing_unanswered_derived(self):
        call = self.play("c-4", ["call.ringing", "call.ended"], direction="outbound")
        self.assertEqual(call.call_type, "outgoing_unanswered")

    def test_t3_one_match_shows_patient(self):
        call = self.play("c-5", ["call.ringing"])
        self.assertEqual(call.partner_id, self.anna)
        card = call._card_payload()
        self.assertEqual(card["partner"]["name"], "Anna Schmidt")
        self.assertEqual(card["partner"]["birthdate"], "1980-02-03")
        self.assertEqual(card["number"], "030 1234567")
        self.assertFalse(card["unknown_patient"])

    def test_t3_zero_matches_shows_number(self):
        call = self.play("c-6", ["call.ringing"], **{"from": "+49 89 7654321"})
        card = call._card_payload()
        self.assertFalse(card["partner"])
        self.assertEqual(card["candidates"], [])
        self.assertEqual(card["number"], "089 7654321")
        self.assertEqual(call.number_e164, "+49897654321")

    def test_t3_two_matches_unknown_patient_then_choose(self):
        call = self.play("c-7", ["call.ringing", "call.answered"], **{"from": "0405551234"})
        card = call._card_payload()
        self.assertTrue(card["unknown_patient"])
        self.assertFalse(card["partner"])
        self.assertEqual({c["id"] for c in card["candidates"]}, {self.meier_a.id, self.meier_b.id})
        card = call.with_user(self.operator).action_choose_patient(self.meier_b.id)
        self.assertEqual(card["partner"]["id"], self.meier_b.id)
        self.assertFalse(card["unknown_patient"])

    def test_t3_choose_only_among_candidates(self):
        call = self.play("c-8", ["call.ringing", "call.answered"], **{"from": "0405551234"})
        with self.assertRaises(Exception):  # noqa: B017 - UserError, rolled back
            call.with_user(self.operator).action_choose_patient(self.anna.id)
        self.assertFalse(call.partner_id)

    def test_t3_national_and_international_formats(self):
        for index, number in enumerate(("+49 30 1234567", "0049301234567", "030/123 45 67")):
            call = self.play(f"fmt-{index}", ["call.ringing"], **{"from": number})
            self.assertEqual(call.partner_id, self.anna, number)
        call = self.play("fmt-ru", ["call.ringing"], **{"from": "+79162345678"})
        self.assertEqual(call.partner_id, self.boris)

    def test_t3_aggregator_line_hides_known_number(self):
        call = self.play("c-9", ["call.ringing"], source="prodoctors")
        self.assertEqual(call.partner_id, self.anna, "the patient is still identified")
        card = call._card_payload()
        self.assertTrue(card["hidden_number"])
        self.assertFalse(card["number"])
        self.assertNotIn("1234567", call.number_display)

    def test_t3_unknown_source_shows_number(self):
        call = self.play("c-10", ["call.ringing"], source="newspaper")
        self.assertFalse(call.hidden_number)
        self.assertEqual(call.source_code, "newspaper")

    def test_t1_card_only_for_bound_user(self):
        self.clear_bus()
        self.play("c-11", ["call.ringing"])
        cards = self.bus_payloads("clinic_telephony/call", self.operator.partner_id)
        self.assertEqual(len(cards), 1)
        self.assertEqual(cards[0]["state"], "ringing")
        self.assertFalse(self.bus_payloads("clinic_telephony/call", self.operator2.partner_id))
        self.clear_bus()
        self.play("c-12", ["call.ringing"], extension="102")  # nobody at desk 2
        self.assertFalse(self.bus_payloads("clinic_telephony/call"))

    def test_t1_unlinked_holder_gets_no_card(self):
        self.operator.clinic_telephony_allowed = False
        self.clear_bus()
        self.play("c-13", ["call.ringing"])
        self.assertFalse(self.bus_payloads("clinic_telephony/call"))

    def test_t4_card_on_every_state_change(self):
        self.clear_bus()
        self.play("c-14", ["call.ringing", "call.answered", "call.ended"])
        states = [p["state"] for p in self.bus_payloads("clinic_telephony/call")]
        self.assertEqual(states, ["ringing", "talking", "ended"])

    def test_t10_paused_sends_no_cards(self):
        self.env["res.users"].clinic_telephony_set_paused(True)
        self.clear_bus()
        call = self.play("c-15", ["call.ringing"])
        self.assertTrue(call, "events are still recorded while paused")
        self.assertFalse(self.bus_payloads("clinic_telephony/call"))

    def test_t4_book_appointment_action(self):
        call = self.play("c-16", ["call.ringing", "call.answered"])
        action = call.with_user(self.operator).action_book_appointment()
        self.assertEqual(action["res_model"], "calendar.event")
        self.assertEqual(action["views"][0][1], "calendar")
        self.assertEqual(action["context"]["default_patient_id"], self.anna.id)
        self.assertEqual(action["context"]["default_clinic_call_id"], call.id)

    def test_t4_add_patient_action_prefills_number(self):
        call = self.play("c-17", ["call.ringing", "call.answered"], **{"from": "0171 9876543"})
        action = call.with_user(self.operator).action_add_patient()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertTrue(action["context"]["default_is_patient"])
        self.assertEqual(action["context"]["default_mobile"], "0171 9876543")

    def test_t11_callerid_lookup(self):
        Pbx = self.env["clinic.pbx"]
        status, answer = Pbx._callerid_lookup("test", {}, b"number=1", "1")
        self.assertEqual(status, 401)
        self.assertNotIn("name", answer)
