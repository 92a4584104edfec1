"""One way to check a status change against a table of allowed moves (SPEC 0, W6).

Appointments (``appointment_state``) and waiting-room visits
(clinic_waiting_room's ``waiting_state``) each declare a table
``{state: {states it may go to}}``; this module checks a move against it. The
user-facing message (with the field's labels in the user's language) is built
by ``clinic.state.mixin``. Pure functions, no ORM.
"""


class InvalidTransition(ValueError):
    """A record cannot go from ``current`` to ``target``."""

    def __init__(self, current, target):
        super().__init__(f"{current} -> {target}")
        self.current = current
        self.target = target


def check_transition(transitions, current, target):
    """Return ``target`` if ``transitions`` allows ``current -> target``, else raise.

    Staying in the same state is a move like any other: allowed only when the
    table lists it.
    """
    if target not in transitions.get(current, ()):
        raise InvalidTransition(current, target)
    return target
