"""Conversion of a call into a booking (T7) and the report's ratios (T8).

Kept free of the ORM: the model computes the stored value with
:func:`conversion_value` and the SQL report mirrors :data:`SQL_CONVERSION`.
"""

YES = "yes"
NO = "no"
NOT_APPLICABLE = "none"

# call_type values stored by clinic_telephony
INCOMING = "incoming"
OUTGOING = "outgoing"
MISSED = "missed"
OUTGOING_UNANSWERED = "outgoing_unanswered"


def conversion_value(call_type, has_booking):
    """Yes / No / "—" of one call (T7).

    A missed call never had a conversation, so it shows "—" even though it
    counts in the report's total. Any call with at least one linked booking
    converted, however many bookings it produced.
    """
    if call_type == MISSED:
        return NOT_APPLICABLE
    return YES if has_booking else NO


def percent(part, whole, digits=1):
    """``part / whole * 100`` rounded, or 0.0 for an empty whole."""
    if not whole:
        return 0.0
    return round(part * 100.0 / whole, digits)
