"""Telegram deep links that tie a patient to their chat with the clinic's bot (C9, 11.3).

A Telegram bot may only write to people who started a chat with it. The clinic
gives the patient ``https://t.me/<bot>?start=<payload>``; tapping *Start* sends
the bot ``/start <payload>``, and the bot's webhook links that chat to the
patient. The payload names the patient and a one-time nonce stored on the
patient, signed with the gateway's link-signing key (:mod:`.keys`): it cannot
be forged or turned to another patient (R3: 128-bit signature), it works once
(the nonce is spent when it links a chat) and it expires with its nonce.
Telegram allows at most 64 characters of ``A-Za-z0-9_-``
(https://core.telegram.org/bots/features#deep-linking).
"""

import hashlib
import hmac
import re
import secrets

PAYLOAD_RE = re.compile(r"^(\d{1,12})-([0-9a-f]{16})-([0-9a-f]{32})$")
TELEGRAM_LINK = "https://t.me/{bot}?start={payload}"


def new_nonce():
    """64 random bits: one link's identity (the signature carries the strength)."""
    return secrets.token_hex(8)


def _signature(key, partner_id, nonce):
    message = f"clinic-telegram-start:{partner_id}:{nonce}".encode()
    # 32 hex digits: 128 bits of HMAC-SHA256
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]


def make_payload(key, partner_id, nonce):
    """Start payload for ``partner_id`` and its current ``nonce`` (at most 62 characters)."""
    return f"{partner_id}-{nonce}-{_signature(key, partner_id, nonce)}"


def read_payload(key, payload):
    """``(partner id, nonce)`` of a genuine ``payload``, else ``None``.

    Whether the nonce is still the patient's, unspent and unexpired, is for the
    caller to check against what it stored.
    """
    match = PAYLOAD_RE.match(payload) if isinstance(payload, str) else None
    if not match or not key:
        return None
    partner_id, nonce = int(match[1]), match[2]
    if not hmac.compare_digest(match[3], _signature(key, partner_id, nonce)):
        return None
    return partner_id, nonce


def deep_link(bot_username, payload):
    return TELEGRAM_LINK.format(bot=bot_username.lstrip("@"), payload=payload)


def start_payload(text):
    """The payload of a ``/start <payload>`` message (``/start@bot <payload>`` too)."""
    parts = text.split() if isinstance(text, str) else []
    if len(parts) == 2 and parts[0].split("@", 1)[0] == "/start":
        return parts[1]
    return None
