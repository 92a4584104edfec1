"""Who may do what with a call-list row lock (SPEC C4).

Plain Python, no ORM: the models feed in the row's lock, the caller and the
clock, and act on the verdict. Every rule is unit-tested directly.
"""

from datetime import timedelta

FREE = "free"
MINE = "mine"
HELD = "held"
# Held by someone else for longer than the limit, the holder still online:
# the next caller is offered to release it.
STALE_ACTIVE = "stale_active"
# Held longer than the limit by someone who left: released automatically.
STALE_INACTIVE = "stale_inactive"

ACTIVE_STATUSES = ("online", "away")


def is_stale(lock_date, now, max_age_minutes):
    """True when a lock taken at ``lock_date`` is older than the limit."""
    if not lock_date:
        return False
    return now - lock_date > timedelta(minutes=max_age_minutes)


def holder_is_active(status, last_poll, now, disconnection_seconds):
    """Odoo presence says the holder is still at work.

    ``status`` is bus.presence's online/away/offline; a presence whose last poll
    is older than the disconnection timer belongs to a closed or crashed tab.
    """
    if status not in ACTIVE_STATUSES or not last_poll:
        return False
    return now - last_poll <= timedelta(seconds=disconnection_seconds)


def lock_verdict(holder_id, lock_date, uid, now, max_age_minutes, holder_active):
    """Classify the lock of one row as seen by user ``uid``."""
    if not holder_id:
        return FREE
    if holder_id == uid:
        return MINE
    if not is_stale(lock_date, now, max_age_minutes):
        return HELD
    return STALE_ACTIVE if holder_active else STALE_INACTIVE


def may_force_release(verdict, is_manager):
    """Someone else's lock may be broken when stale, or by a manager."""
    if verdict in (FREE, MINE):
        return False
    return is_manager or verdict in (STALE_ACTIVE, STALE_INACTIVE)
