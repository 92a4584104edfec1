"""Phone number normalisation (T3, P1).

Every stored number and every looked-up number goes through :func:`to_e164`
with the same region, so that caller identification is a plain equality on an
indexed column instead of a suffix scan.
"""

import phonenumbers

# Longer inputs are not phone numbers; refusing them early keeps the parser cheap.
MAX_INPUT_LENGTH = 64


def to_e164(raw, region=None):
    """Return ``raw`` as an E.164 string (``+4930123456``) or ``None``.

    ``region`` is an ISO 3166 alpha-2 code used for numbers written in national
    form ("030 123456", "8 916 123-45-67"); international forms ("+7 ...",
    "0049 ...") ignore it. Numbers that cannot be a phone number in that region
    give ``None`` rather than an exception: callers decide what "unknown" means.
    """
    if not raw or not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not raw or len(raw) > MAX_INPUT_LENGTH:
        return None
    digits = "".join(ch for ch in raw if ch.isdigit())
    if not digits:
        return None
    region = (region or "").upper() or None
    if raw.startswith("00") and not raw.startswith("+"):
        raw = "+" + raw[2:]
    elif region is None and not raw.startswith("+"):
        # Without a region only full international numbers can be read.
        raw = "+" + digits
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display(e164, region=None):
    """Human form of an E.164 number: national in ``region``, international otherwise."""
    if not e164:
        return ""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    same_region = region and phonenumbers.region_code_for_number(parsed) == region.upper()
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if same_region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)
