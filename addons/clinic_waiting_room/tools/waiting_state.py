"""Waiting-room visit rules, free of the ORM (SPEC W1, W5, W6, W9, R3).

A visit (``clinic.waiting.entry``) moves through four statuses::

    waiting ──► in_consultation ──► on_hold ──► in_consultation ...
       │               │               │
       └───────────────┴───────────────┴──► finished

Leaving a video consultation resolves it: back on hold when staff set "Hold"
first, finished otherwise (W6).
"""

from datetime import timedelta

WAITING = "waiting"
IN_CONSULTATION = "in_consultation"
ON_HOLD = "on_hold"
FINISHED = "finished"
STATES = (WAITING, IN_CONSULTATION, ON_HOLD, FINISHED)

#: statuses in which the patient is still in the (virtual) waiting room
OPEN_STATES = (WAITING, IN_CONSULTATION, ON_HOLD)

#: allowed moves, checked with clinic_base's ``transition.check_transition``
TRANSITIONS = {
    WAITING: {IN_CONSULTATION, FINISHED},
    IN_CONSULTATION: {ON_HOLD, FINISHED},
    ON_HOLD: {IN_CONSULTATION, FINISHED},
    FINISHED: set(),
}

FROM_CLINIC = "clinic"
FROM_PATIENT = "patient"

#: W5 counter colours
BLUE = "blue"
ORANGE = "orange"


def state_after_call(hold_requested):
    """W6: status of the visit once the staff member left the video call."""
    return ON_HOLD if hold_requested else FINISHED


def counter_colour(last_message_from):
    """W5: blue when the clinic wrote last, orange when the patient did."""
    return {FROM_CLINIC: BLUE, FROM_PATIENT: ORANGE}.get(last_message_from)


def wait_level(arrival, now, threshold_minutes):
    """W9: 0 below the threshold, 1 past it, 2 past twice the threshold."""
    if not arrival or threshold_minutes <= 0:
        return 0
    waited = (now - arrival).total_seconds() / 60
    if waited >= 2 * threshold_minutes:
        return 2
    return 1 if waited >= threshold_minutes else 0


def link_expiry(created, validity_hours):
    """R3: the personal link dies ``validity_hours`` after its creation."""
    if validity_hours <= 0:
        raise ValueError("a patient link must expire")
    return created + timedelta(hours=validity_hours)


def is_expired(expires_at, now):
    return not expires_at or now >= expires_at
