"""The clinic's time zone and its days, free of the ORM (C13, C1, C5).

A company's time zone is never silently UTC: ``res.company._clinic_tz_resolution``
takes the company's own setting, else the one zone of its country, else the
zone most of its users work in; only then UTC, and Settings says so.
"""

from datetime import datetime, time, timedelta

import pytz

# Reference instants (winter and summer) to tell whether two zones keep the same clock.
_PROBES = (datetime(2025, 1, 15, 12), datetime(2025, 7, 15, 12))


def _clock(zone):
    tz = pytz.timezone(zone)
    return tuple(tz.utcoffset(moment) for moment in _PROBES)


def country_zone(country_code):
    """The time zone of a country that keeps one clock, else None.

    Zones of a country that share their offsets all year count as one (Germany
    lists Europe/Berlin and Europe/Busingen); pytz lists the main zone first.
    Russia, the United States or Spain (Canary Islands) keep several clocks.
    """
    zones = pytz.country_timezones.get((country_code or "").upper(), [])
    if not zones or len({_clock(zone) for zone in zones}) != 1:
        return None
    return zones[0]


def most_common(counts):
    """The zone with the highest count in ``{zone: count}`` (ties: alphabetical), or None.

    Names pytz does not know are left out.
    """
    known = {zone: n for zone, n in counts.items() if zone in pytz.all_timezones_set}
    if not known:
        return None
    return min(known, key=lambda zone: (-known[zone], zone))


def day_bounds(day, zone):
    """Naive UTC ``[start, stop)`` of the local calendar ``day`` in ``zone`` (DST-aware)."""
    tz = pytz.timezone(zone)
    start = tz.localize(datetime.combine(day, time.min))
    stop = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
    return (
        start.astimezone(pytz.utc).replace(tzinfo=None),
        stop.astimezone(pytz.utc).replace(tzinfo=None),
    )


def local_today(zone, now=None):
    """The calendar date in ``zone`` at ``now`` (naive UTC, default: the current time)."""
    now = now or datetime.now(pytz.utc).replace(tzinfo=None)
    return pytz.utc.localize(now).astimezone(pytz.timezone(zone)).date()
