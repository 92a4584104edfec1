"""Waiting-room visit rules, free of the ORM (SPEC W1, W5, W6, W9, W11, W12, R3).

A visit (``clinic.waiting.entry``) moves through four statuses::

    waiting ──► in_consultation ──► on_hold ──► in_consultation ...
       │               │               │
       └───────────────┴───────────────┴──► finished

Leaving a video consultation resolves it: back on hold when staff set "Hold"
first, finished otherwise (W6).

Beside its status a visit knows whether the patient is there (W11): ``invited``
until the patient's page first connects, ``here`` while it is open, ``left``
once it closed. Staff read one status made of both (:func:`display_status`).
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

# W11: is the patient's page open?
INVITED = "invited"
HERE = "here"
LEFT = "left"
PRESENCES = (INVITED, HERE, LEFT)

#: what the dashboard shows and filters on: the status, unless the patient is not there
DISPLAY_STATUSES = (INVITED, WAITING, LEFT, IN_CONSULTATION, ON_HOLD, FINISHED)

# W8 alerts the dashboard raises for a change of presence
ARRIVED = "arrived"
RETURNED = "returned"

# W12: outcome of the patient's camera and microphone test
DEVICE_READY = "ready"
DEVICE_NO_CAMERA = "no_camera"
DEVICE_NO_MICROPHONE = "no_microphone"
DEVICE_CAMERA_BLOCKED = "camera_blocked"
DEVICE_MICROPHONE_BLOCKED = "microphone_blocked"
DEVICE_SKIPPED = "skipped"
DEVICE_RESULTS = (
    DEVICE_READY,
    DEVICE_NO_CAMERA,
    DEVICE_NO_MICROPHONE,
    DEVICE_CAMERA_BLOCKED,
    DEVICE_MICROPHONE_BLOCKED,
    DEVICE_SKIPPED,
)

FROM_CLINIC = "clinic"
FROM_PATIENT = "patient"

#: W5 counter colours
BLUE = "blue"
ORANGE = "orange"


def state_after_call(hold_requested):
    """W6: status of the visit once the staff member left the video call."""
    return ON_HOLD if hold_requested else FINISHED


def display_status(state, presence):
    """W1, W11: one status for staff. A patient in a consultation or whose visit is
    over is shown as such; otherwise "waiting"/"on hold" only while their page is
    open, "invited" before they first came, "left" once they closed it."""
    if state in (IN_CONSULTATION, FINISHED) or presence == HERE:
        return state
    return LEFT if presence == LEFT else INVITED


#: W8: an absence shorter than this (a reload, a network hiccup) raises no "back" alert
BRIEF_ABSENCE = timedelta(minutes=1)


def presence_change(presence, online, away=None):
    """W11: ``(new presence, alert)`` when the patient's page connects (``online``)
    or disconnects. The alert is ``ARRIVED`` on the first arrival, ``RETURNED`` when
    a patient who left ``away`` (a timedelta) ago is back, else None."""
    if not online:
        return (LEFT if presence == HERE else presence), None
    if presence == INVITED:
        return HERE, ARRIVED
    if presence == LEFT and (away is None or away >= BRIEF_ABSENCE):
        return HERE, RETURNED
    return HERE, None


def counter_colour(last_message_from):
    """W5: blue when the clinic wrote last, orange when the patient did."""
    return {FROM_CLINIC: BLUE, FROM_PATIENT: ORANGE}.get(last_message_from)


def link_expiry(created, validity_hours):
    """R3: the personal link dies ``validity_hours`` after its creation."""
    if validity_hours <= 0:
        raise ValueError("a patient link must expire")
    return created + timedelta(hours=validity_hours)


def is_expired(expires_at, now):
    return not expires_at or now >= expires_at
