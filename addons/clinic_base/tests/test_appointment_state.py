from odoo.tests import BaseCase, tagged

from ..tools import appointment_state as st


@tagged("post_install", "-at_install")
class TestAppointmentStateMachine(BaseCase):
    def test_every_state_has_rules(self):
        self.assertEqual(set(st.TRANSITIONS), set(st.STATES))
        for targets in st.TRANSITIONS.values():
            self.assertLessEqual(targets, set(st.STATES))

    def test_allowed_moves(self):
        self.assertEqual(st.check_transition(st.BOOKED, st.CONFIRMED), st.CONFIRMED)
        self.assertEqual(st.check_transition(st.CONFIRMED, st.CONFIRMED), st.CONFIRMED)
        self.assertEqual(st.check_transition(st.ARRIVED, st.DONE), st.DONE)
        self.assertEqual(st.check_transition(st.CANCELLED, st.BOOKED), st.BOOKED)

    def test_refused_moves(self):
        for current, target in [
            (st.DONE, st.BOOKED),
            (st.BOOKED, st.DONE),
            (st.CANCELLED, st.CONFIRMED),
            (st.BOOKED, "nonsense"),
        ]:
            with self.assertRaises(st.InvalidTransition):
                st.check_transition(current, target)
