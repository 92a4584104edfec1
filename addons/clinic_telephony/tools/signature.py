"""HMAC signatures of PBX requests (SPEC T2 contract, T11, R1).

A request is signed with ``HMAC-SHA256(secret, "<timestamp>.<payload>")`` where
``payload`` is the raw body (webhook) or the raw query string (CallerID lookup).
Pure functions, no ORM: the controller hands bytes in, gets a verdict out.
"""

import hashlib
import hmac
import time

MAX_SKEW = 300  # seconds a timestamp may differ from our clock
PREFIX = "sha256="


class SignatureError(Exception):
    """The request is not signed by the PBX or is too old/new to be trusted."""


def sign(secret, timestamp, payload):
    """Header value ``sha256=<hex>`` for ``payload`` (bytes) sent at ``timestamp``."""
    if isinstance(payload, str):
        payload = payload.encode()
    message = str(timestamp).encode() + b"." + payload
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return PREFIX + digest


def verify(secret, timestamp, signature, payload, now=None, max_skew=MAX_SKEW):
    """Raise :class:`SignatureError` unless ``signature`` is valid and fresh.

    ``timestamp`` and ``signature`` are the raw header values (``None`` when
    missing). The comparison runs in constant time.
    """
    if not secret:
        raise SignatureError("no secret configured")
    if not timestamp or not signature:
        raise SignatureError("missing signature headers")
    try:
        sent_at = int(timestamp)
    except ValueError as exc:
        raise SignatureError("timestamp is not an integer") from exc
    now = time.time() if now is None else now
    if abs(now - sent_at) > max_skew:
        raise SignatureError("timestamp outside the accepted window")
    expected = sign(secret, timestamp, payload)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise SignatureError("signature mismatch")
