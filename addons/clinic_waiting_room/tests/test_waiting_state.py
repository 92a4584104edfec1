from datetime import datetime, timedelta
from unittest import TestCase

from odoo.addons.clinic_base.tools.transition import InvalidTransition, check_transition

from ..tools import waiting_state as ws


class TestWaitingState(TestCase):
    def test_w6_transitions(self):
        check_transition(ws.TRANSITIONS, ws.WAITING, ws.IN_CONSULTATION)
        check_transition(ws.TRANSITIONS, ws.IN_CONSULTATION, ws.ON_HOLD)
        check_transition(ws.TRANSITIONS, ws.ON_HOLD, ws.IN_CONSULTATION)
        check_transition(ws.TRANSITIONS, ws.ON_HOLD, ws.FINISHED)
        for current, target in [
            (ws.WAITING, ws.ON_HOLD),
            (ws.FINISHED, ws.WAITING),
            (ws.FINISHED, ws.IN_CONSULTATION),
            (ws.WAITING, ws.WAITING),
        ]:
            with self.assertRaises(InvalidTransition):
                check_transition(ws.TRANSITIONS, current, target)

    def test_w6_leaving_without_hold_ends_the_visit(self):
        self.assertEqual(ws.state_after_call(hold_requested=True), ws.ON_HOLD)
        self.assertEqual(ws.state_after_call(hold_requested=False), ws.FINISHED)

    def test_w5_counter_colour(self):
        self.assertEqual(ws.counter_colour(ws.FROM_CLINIC), ws.BLUE)
        self.assertEqual(ws.counter_colour(ws.FROM_PATIENT), ws.ORANGE)
        self.assertIsNone(ws.counter_colour(None))

    def test_w9_wait_level(self):
        now = datetime(2026, 1, 1, 12, 0)
        self.assertEqual(ws.wait_level(now - timedelta(minutes=29), now, 30), 0)
        self.assertEqual(ws.wait_level(now - timedelta(minutes=30), now, 30), 1)
        self.assertEqual(ws.wait_level(now - timedelta(minutes=60), now, 30), 2)
        self.assertEqual(ws.wait_level(now - timedelta(hours=5), now, 0), 0)

    def test_r3_link_expiry(self):
        created = datetime(2026, 1, 1, 8, 0)
        expires = ws.link_expiry(created, 12)
        self.assertEqual(expires, datetime(2026, 1, 1, 20, 0))
        self.assertFalse(ws.is_expired(expires, expires - timedelta(seconds=1)))
        self.assertTrue(ws.is_expired(expires, expires))
        self.assertTrue(ws.is_expired(None, created))
        with self.assertRaises(ValueError):
            ws.link_expiry(created, 0)
