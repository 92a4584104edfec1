"""Telegram deep links that tie a patient to their chat with the clinic's bot (C9).

A Telegram bot may only write to people who started a chat with it. The clinic
gives the patient ``https://t.me/<bot>?start=<payload>``; tapping *Start* sends
the bot ``/start <payload>``, and the bot's webhook links that chat to the
patient. The payload names the patient and the last day it may be used,
signed with the gateway's secret: nothing is stored, and it cannot be forged,
stretched or turned to another patient (R3: 128-bit signature, expiry, one
patient). Telegram allows at most 64 characters of ``A-Za-z0-9_-``.
"""

import hashlib
import hmac
import re
from datetime import datetime

PAYLOAD_RE = re.compile(r"^(\d{1,12})-(\d{8})-([0-9a-f]{32})$")
TELEGRAM_LINK = "https://t.me/{bot}?start={payload}"


def _signature(secret, partner_id, expires):
    message = f"clinic-telegram-start:{partner_id}:{expires:%Y%m%d}".encode()
    # 32 hex digits: 128 bits of HMAC-SHA256
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def make_payload(secret, partner_id, expires):
    """Start payload for ``partner_id``, valid until the date ``expires`` included."""
    return f"{partner_id}-{expires:%Y%m%d}-{_signature(secret, partner_id, expires)}"


def read_payload(secret, payload, today):
    """The partner id of a genuine, unexpired ``payload``, else ``None``."""
    match = PAYLOAD_RE.match(payload) if isinstance(payload, str) else None
    if not match:
        return None
    partner_id = int(match[1])
    try:
        expires = datetime.strptime(match[2], "%Y%m%d").date()
    except ValueError:
        return None
    if expires < today:
        return None
    if not hmac.compare_digest(match[3], _signature(secret, partner_id, expires)):
        return None
    return partner_id


def deep_link(bot_username, payload):
    return TELEGRAM_LINK.format(bot=bot_username.lstrip("@"), payload=payload)


def start_payload(text):
    """The payload of a ``/start <payload>`` message (``/start@bot <payload>`` too)."""
    parts = text.split() if isinstance(text, str) else []
    if len(parts) == 2 and parts[0].split("@", 1)[0] == "/start":
        return parts[1]
    return None
