"""Quiet hours: no reminder reaches a patient's phone at night (C13).

Hours are local to the clinic (its time zone from clinic_base, never silently
UTC) and given as floats like Odoo's ``float_time`` widget (21.5 = 21:30). A
window may cross midnight (21:00-08:00, the default) or not (13:00-14:00);
equal start and end means no quiet hours at all.
"""

from datetime import datetime, time, timedelta

import pytz


def _as_time(hours):
    minutes = round((hours % 24) * 60)
    return time(minutes // 60 % 24, minutes % 60)


def quiet_until(now_utc, zone, start, end):
    """Naive UTC end of the quiet window ``now_utc`` falls in, or ``None`` outside it.

    ``now_utc`` is naive UTC (Odoo's datetimes), ``zone`` a time zone name.
    """
    start_t, end_t = _as_time(start), _as_time(end)
    if start_t == end_t:
        return None
    tz = pytz.timezone(zone)
    local = pytz.utc.localize(now_utc).astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    if start_t < end_t:
        quiet = start_t <= clock < end_t
        end_day = local.date()
    else:  # crosses midnight
        quiet = clock >= start_t or clock < end_t
        end_day = local.date() + timedelta(days=1) if clock >= start_t else local.date()
    if not quiet:
        return None
    # localize() picks the right offset on the morning after a DST change.
    end_local = tz.localize(datetime.combine(end_day, end_t))
    return end_local.astimezone(pytz.utc).replace(tzinfo=None)
