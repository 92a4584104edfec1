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

    def test_w11_display_status(self):
        shown = ws.display_status
        self.assertEqual(shown(ws.WAITING, ws.INVITED), ws.INVITED)
        self.assertEqual(shown(ws.WAITING, ws.HERE), ws.WAITING)
        self.assertEqual(shown(ws.WAITING, ws.LEFT), ws.LEFT)
        self.assertEqual(shown(ws.ON_HOLD, ws.HERE), ws.ON_HOLD)
        self.assertEqual(shown(ws.ON_HOLD, ws.LEFT), ws.LEFT)
        # in the call or done: whatever the waiting page does
        self.assertEqual(shown(ws.IN_CONSULTATION, ws.LEFT), ws.IN_CONSULTATION)
        self.assertEqual(shown(ws.FINISHED, ws.INVITED), ws.FINISHED)

    def test_w11_presence_changes_and_their_alerts(self):
        change = ws.presence_change
        self.assertEqual(change(ws.INVITED, True), (ws.HERE, ws.ARRIVED))
        self.assertEqual(change(ws.HERE, False), (ws.LEFT, None))
        self.assertEqual(change(ws.LEFT, True), (ws.HERE, ws.RETURNED))
        self.assertEqual(change(ws.LEFT, True, timedelta(minutes=5)), (ws.HERE, ws.RETURNED))
        # W8: a reload is no return worth an alert
        self.assertEqual(change(ws.LEFT, True, timedelta(seconds=3)), (ws.HERE, None))
        self.assertEqual(change(ws.HERE, True), (ws.HERE, None))
        # a page that never counted as arrived does not leave
        self.assertEqual(change(ws.INVITED, False), (ws.INVITED, None))
        self.assertEqual(change(ws.LEFT, False), (ws.LEFT, None))

    def test_r3_link_expiry(self):
        created = datetime(2026, 1, 1, 8, 0)
        expires = ws.link_expiry(created, 12)
        self.assertEqual(expires, datetime(2026, 1, 1, 20, 0))
        self.assertFalse(ws.is_expired(expires, expires - timedelta(seconds=1)))
        self.assertTrue(ws.is_expired(expires, expires))
        self.assertTrue(ws.is_expired(None, created))
        with self.assertRaises(ValueError):
            ws.link_expiry(created, 0)
