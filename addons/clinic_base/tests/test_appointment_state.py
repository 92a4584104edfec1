from odoo.tests import BaseCase, tagged

from ..tools import appointment_state as st
from ..tools.transition import InvalidTransition, check_transition


@tagged("post_install", "-at_install")
class TestAppointmentStateMachine(BaseCase):
    def test_every_state_has_rules(self):
        self.assertEqual(set(st.TRANSITIONS), set(st.STATES))
        for targets in st.TRANSITIONS.values():
            self.assertLessEqual(targets, set(st.STATES))

    def test_allowed_moves(self):
        for current, target in [
            (st.BOOKED, st.CONFIRMED),
            (st.ARRIVED, st.DONE),
            (st.CANCELLED, st.BOOKED),
        ]:
            self.assertEqual(check_transition(st.TRANSITIONS, current, target), target)

    def test_refused_moves(self):
        for current, target in [
            (st.DONE, st.BOOKED),
            (st.BOOKED, st.DONE),
            (st.CANCELLED, st.CONFIRMED),
            (st.BOOKED, "nonsense"),
            # staying put is not a move of the table; the model leaves such visits alone
            (st.CONFIRMED, st.CONFIRMED),
        ]:
            with self.subTest(current=current, target=target):
                with self.assertRaises(InvalidTransition) as caught:
                    check_transition(st.TRANSITIONS, current, target)
                self.assertEqual(
                    (caught.exception.current, caught.exception.target), (current, target)
                )
