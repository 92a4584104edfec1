"""Pure helpers: event parsing, call state fold (T2, R1)."""

import json
import unittest
from datetime import timedelta
from itertools import permutations

from ..tools import call_state as cs
from ..tools import events as ev
from .common import T0, event_dict


class TestEventParsing(unittest.TestCase):
    def test_t2_contract_event_parsed(self):
        event = ev.parse_body(json.dumps(event_dict("e1", "call.ringing", "c1")).encode())
        self.assertEqual(event.type, ev.RINGING)
        self.assertEqual(event.timestamp, T0)
        self.assertEqual(event.remote_number, "030 1234567")

    def test_t2_timezone_converted_to_utc(self):
        body = event_dict("e1", "call.ringing", "c1")
        body["timestamp"] = "2026-03-02T10:00:00+01:00"
        self.assertEqual(ev.parse_event(body).timestamp, T0)

    def test_r1_wrong_types_refused(self):
        bad = [
            {**event_dict("e1", "call.ringing", "c1"), "event_id": 5},
            {**event_dict("e1", "call.ringing", "c1"), "type": "call.exploded"},
            {**event_dict("e1", "call.ringing", "c1"), "direction": "sideways"},
            {**event_dict("e1", "call.ringing", "c1"), "timestamp": "yesterday"},
            {**event_dict("e1", "call.ringing", "c1"), "timestamp": "0001-01-01T00:00:00+05:00"},
            {**event_dict("e1", "call.ringing", "c1"), "timestamp": "9999-12-31T23:59:59-05:00"},
            {**event_dict("e1", "call.originate", "c1")},
            {**event_dict("e1", "call.recording", "c1")},
            {**event_dict("e1", "call.recording", "c1"), "recording_url": "javascript:x"},
            [1, 2],
        ]
        for body in bad:
            with self.assertRaises(ev.MalformedEvent, msg=body):
                ev.parse_event(body)

    def test_r1_non_json_refused(self):
        # Oversized bodies never get here: clinic_base's verify_request refuses them.
        deep = b"[" * 50_000 + b"]" * 50_000
        for body in (b"", b"{", b"\xff\xfe", b"null", deep, b'{"a": ' + deep + b"}"):
            with self.assertRaises(ev.MalformedEvent):
                ev.parse_body(body)


def at(seconds):
    return T0 + timedelta(seconds=seconds)


class TestCallStateFold(unittest.TestCase):
    def test_t2_talked_call_in_any_order(self):
        events = [(ev.RINGING, at(0), ""), (ev.ANSWERED, at(5), ""), (ev.ENDED, at(65), "")]
        for order in permutations(events):
            state = cs.fold(order)
            self.assertEqual(state.state, cs.ENDED)
            self.assertEqual(state.talk_duration, 60)
            self.assertEqual(state.start_date, at(0))
            self.assertEqual(
                cs.call_type("inbound", state.state, bool(state.answer_date)), cs.INCOMING
            )

    def test_t2_replayed_event_changes_nothing(self):
        once = cs.fold([(ev.RINGING, at(0), ""), (ev.ANSWERED, at(5), "")])
        twice = cs.fold(
            [(ev.RINGING, at(0), ""), (ev.ANSWERED, at(5), ""), (ev.ANSWERED, at(5), "")]
        )
        self.assertEqual(once, twice)
        self.assertEqual(once.state, cs.TALKING)

    def test_t2_missed_and_outgoing_unanswered_derived(self):
        state = cs.fold([(ev.RINGING, at(0), ""), (ev.ENDED, at(20), "")])
        self.assertEqual(cs.call_type("inbound", state.state, False), cs.MISSED)
        self.assertEqual(cs.call_type("outbound", state.state, False), cs.OUTGOING_UNANSWERED)
        self.assertEqual(cs.call_type("inbound", cs.RINGING, False), cs.INCOMING)

    def test_t2_failed_outgoing(self):
        state = cs.fold([(ev.ORIGINATE, at(0), ""), (ev.FAILED, at(1), "")])
        self.assertEqual(state.state, cs.FAILED)
        self.assertEqual(cs.call_type("outbound", state.state, False), cs.OUTGOING_UNANSWERED)

    def test_t2_end_before_answer_clock_skew(self):
        state = cs.fold([(ev.ANSWERED, at(10), ""), (ev.ENDED, at(8), "")])
        self.assertEqual(state.talk_duration, 0)
        self.assertEqual(state.state, cs.ENDED)

    def test_t2_latest_recording_kept(self):
        state = cs.fold([(ev.RECORDING, at(70), "https://a"), (ev.RECORDING, at(80), "https://b")])
        self.assertEqual(state.recording_url, "https://b")


class TestLostCallFold(unittest.TestCase):
    def test_t14_lost_closes_a_ringing_call(self):
        state = cs.fold([(ev.RINGING, at(0), ""), (ev.LOST, at(0), "")])
        self.assertEqual((state.state, state.lost, state.end_date), (cs.ENDED, True, at(0)))
        self.assertEqual(cs.call_type("inbound", state.state, False), cs.MISSED)

    def test_t14_lost_talking_call_keeps_what_is_known(self):
        state = cs.fold([(ev.RINGING, at(0), ""), (ev.ANSWERED, at(5), ""), (ev.LOST, at(5), "")])
        self.assertEqual((state.state, state.lost, state.talk_duration), (cs.ENDED, True, 0))
        self.assertEqual(state.answer_date, at(5))

    def test_t14_late_real_end_wins_over_lost(self):
        events = [
            (ev.RINGING, at(0), ""),
            (ev.ANSWERED, at(5), ""),
            (ev.LOST, at(5), ""),
            (ev.ENDED, at(65), ""),
        ]
        for order in permutations(events):
            state = cs.fold(order)
            self.assertEqual((state.lost, state.talk_duration), (False, 60))

    def test_t14_lost_is_not_a_webhook_type(self):
        with self.assertRaises(ev.MalformedEvent):
            ev.parse_event(event_dict("e1", ev.LOST, "c1"))


class TestCardHolders(unittest.TestCase):
    """Who sees a call's card (T1, T4, T13): only users linked to telephony."""

    def test_t1_administrator_else_phone_holder(self):
        self.assertEqual(cs.card_holders(7, 8, (), {7, 8}), [7])
        self.assertEqual(cs.card_holders(None, 8, (), {8}), [8])
        self.assertEqual(cs.card_holders(None, 8, (), set()), [])

    def test_t13_ring_group_holders_see_it_once(self):
        self.assertEqual(cs.card_holders(7, None, (9, 7, None, 10), {7, 9}), [7, 9])
