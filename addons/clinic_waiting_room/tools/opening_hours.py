"""Opening hours of a waiting room, free of the ORM (SPEC W13).

Hours are ``(weekday, start, end)`` triples in the clinic's local time: weekday 0 is
Monday, ``start``/``end`` are hours of the day as floats (8.5 is 08:30, 24.0 the
end of the day). A room without hours is always open.
"""

from datetime import datetime, time, timedelta

import pytz


def _hour_of_day(moment):
    return moment.hour + moment.minute / 60 + moment.second / 3600


def is_open(hours, local_now):
    """Whether the room is open at the naive local datetime ``local_now``."""
    if not hours:
        return True
    hour = _hour_of_day(local_now)
    return any(day == local_now.weekday() and start <= hour < end for day, start, end in hours)


def next_opening(hours, local_now):
    """The next naive local datetime after ``local_now`` at which a period of ``hours``
    begins, or None (no hours: never closed)."""
    for offset in range(8):
        day = local_now.date() + timedelta(days=offset)
        starts = sorted(start for d, start, end in hours if d == day.weekday() and end > start)
        for start in starts:
            moment = datetime.combine(day, time.min) + timedelta(hours=start)
            if moment > local_now:
                return moment
    return None


def to_local(utc_now, zone):
    """Naive UTC -> naive local time in ``zone``."""
    return pytz.utc.localize(utc_now).astimezone(pytz.timezone(zone)).replace(tzinfo=None)


def to_utc(local_moment, zone):
    """Naive local time in ``zone`` -> naive UTC (a time skipped by DST moves on)."""
    aware = pytz.timezone(zone).normalize(pytz.timezone(zone).localize(local_moment))
    return aware.astimezone(pytz.utc).replace(tzinfo=None)
