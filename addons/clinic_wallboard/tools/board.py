"""What a wallboard shows, decided from plain values (SPEC X1).

The board hangs where patients may pass: it names people by first name and the
initial of their last name, and never shows a phone number in full.
"""

from datetime import timedelta


def short_name(name):
    """ "Anna Schmidt" -> "Anna S.", "Anna" -> "Anna", "" -> ""."""
    words = (name or "").split()
    if len(words) < 2:
        return words[0] if words else ""
    return f"{words[0]} {words[-1][0]}."


def masked_number(number):
    """Only the last four digits of a number ("••• 4567"), or "" without one."""
    digits = [char for char in number or "" if char.isdigit()]
    if not digits:
        return ""
    return "••• " + "".join(digits[-4:])


def percent(part, whole):
    """``part / whole`` in whole percent, 0 for an empty whole."""
    return round(part * 100.0 / whole) if whole else 0


def wait_levels(arrival, threshold_minutes):
    """When a waiting time turns to colour level 1 and 2 (W9: past the threshold,
    past twice the threshold), so the board recolours on its own clock; ``[]``
    when the clinic set no threshold or the patient has not arrived."""
    if not arrival or not threshold_minutes or threshold_minutes <= 0:
        return []
    step = timedelta(minutes=threshold_minutes)
    return [arrival + step, arrival + 2 * step]


def reminder_summary(groups):
    """Tomorrow's reminder rows (C6) from ``(colour, needs a call, rows)`` groups:
    rows per colour, and what the desk acts on (confirmed, to call, cancelled)."""
    colours = {}
    for colour, __, count in groups:
        if colour:
            colours[colour] = colours.get(colour, 0) + count
    return {
        "colours": colours,
        "confirmed": colours.get("green", 0),
        "cancelled": colours.get("red", 0),
        "to_call": sum(count for __, needs_call, count in groups if needs_call),
        "total": sum(count for __, __, count in groups),
    }
