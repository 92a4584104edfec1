"""Fold PBX events into the state of one call (SPEC T2, R1).

The fold depends only on the *set* of events, never on their arrival order:
replaying an event changes nothing and "ended" before "answered" still gives
a talked call with the right duration. Missed and "outgoing unanswered" are
derived here rather than sent by the PBX. A "lost" event (T14: the PBX never
reported the end) ends the call only while no real final event is known: a
late "ended" still gives the call its true end.
"""

from dataclasses import dataclass
from datetime import datetime

from . import events as ev

RINGING = "ringing"
TALKING = "talking"
ENDED = "ended"
FAILED = "failed"

INCOMING = "incoming"
OUTGOING = "outgoing"
MISSED = "missed"
OUTGOING_UNANSWERED = "outgoing_unanswered"


@dataclass(frozen=True)
class CallState:
    state: str
    start_date: datetime
    answer_date: datetime | None
    end_date: datetime | None
    talk_duration: int
    recording_url: str
    lost: bool = False


def call_type(direction, state, answered):
    """Type shown in the history: a call that ended unanswered is missed/unanswered."""
    finished = state in (ENDED, FAILED)
    if direction == "inbound":
        return MISSED if finished and not answered else INCOMING
    return OUTGOING_UNANSWERED if finished and not answered else OUTGOING


def card_holders(user_id, phone_holder_id, ring_holder_ids, allowed):
    """Ids of the users who see a call's card (T1, T4, T13).

    The call's administrator, else the holder of its desk phone, plus the
    holders of the other phones of its ring group, who saw it ring and see it
    go; only users in ``allowed`` (linked to telephony). Ids may be None.
    """
    first = user_id or phone_holder_id
    return sorted({user for user in (first, *ring_holder_ids) if user and user in allowed})


def fold(events):
    """State of a call from its events, a non-empty iterable of
    ``(type, timestamp, recording_url)`` tuples in any order."""
    events = list(events)
    if not events:
        raise ValueError("a call has at least one event")
    times = {}
    for kind, moment, _url in events:
        times.setdefault(kind, []).append(moment)
    start = min(moment for _kind, moment, _url in events)
    answered = min(times[ev.ANSWERED]) if ev.ANSWERED in times else None
    ends = times.get(ev.ENDED, []) + times.get(ev.FAILED, [])
    lost = not ends and ev.LOST in times
    if lost:
        ends = times[ev.LOST]
    end = min(ends) if ends else None
    if end and answered and end < answered:
        # Clocks of two PBX nodes disagree; a call cannot end before it is answered.
        end = answered
    if end:
        state = FAILED if ev.FAILED in times and not answered else ENDED
    else:
        state = TALKING if answered else RINGING
    duration = int((end - answered).total_seconds()) if end and answered else 0
    urls = sorted((moment, url) for kind, moment, url in events if kind == ev.RECORDING and url)
    return CallState(
        state=state,
        start_date=start,
        answer_date=answered,
        end_date=end,
        talk_duration=duration,
        recording_url=urls[-1][1] if urls else "",
        lost=lost,
    )
