"""Clinic state machine of an appointment (SPEC 0).

Kept free of the ORM so that every transition rule is unit-tested directly;
moves are checked with :func:`.transition.check_transition`.
"""

BOOKED = "booked"
CONFIRMED = "confirmed"
RESCHEDULE = "reschedule"
CANCELLED = "cancelled"
ARRIVED = "arrived"
DONE = "done"
NO_SHOW = "no_show"

STATES = (BOOKED, CONFIRMED, RESCHEDULE, CANCELLED, ARRIVED, DONE, NO_SHOW)

# Where each state may go next. "done" is final; a cancelled, rescheduled or
# missed visit can be booked again, which is what the front desk does when the
# patient calls back.
TRANSITIONS = {
    BOOKED: {CONFIRMED, RESCHEDULE, CANCELLED, ARRIVED, NO_SHOW},
    CONFIRMED: {BOOKED, RESCHEDULE, CANCELLED, ARRIVED, NO_SHOW},
    RESCHEDULE: {BOOKED, CONFIRMED, CANCELLED},
    CANCELLED: {BOOKED},
    ARRIVED: {DONE, NO_SHOW},
    DONE: set(),
    NO_SHOW: {BOOKED},
}

# States in which the visit still lies ahead and occupies the practitioner.
OPEN_STATES = (BOOKED, CONFIRMED, RESCHEDULE)
