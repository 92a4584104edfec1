"""HMAC-SHA256 request signatures shared by every inbound integration.

A sender signs ``"<timestamp>.<payload>"`` with the shared secret and sends the
timestamp and ``sha256=<hex>`` in two headers: the PBX webhook and CallerID
lookup (SPEC T2 contract, T11) and the reminder gateways' delivery reports (C9).
The timestamp bounds how long a captured request can be replayed; idempotent
processing makes replays inside that window harmless. Pure functions, no ORM.
"""

import hashlib
import hmac
import time

PREFIX = "sha256="
# How far a request's timestamp may lie from our clock, in seconds.
MAX_SKEW = 300


class SignatureError(ValueError):
    """The request is not signed by someone who knows the secret."""


class StaleTimestamp(SignatureError):
    """Signed, but too old (or too far in the future) to be accepted."""


def sign(secret, timestamp, payload):
    """Header value ``sha256=<hex>`` for ``payload`` (bytes or str) sent at ``timestamp``."""
    if isinstance(secret, str):
        secret = secret.encode()
    if isinstance(payload, str):
        payload = payload.encode()
    message = str(int(timestamp)).encode() + b"." + payload
    return PREFIX + hmac.new(secret, message, hashlib.sha256).hexdigest()


def verify(secret, timestamp, signature, payload, now=None, max_skew=MAX_SKEW):
    """Return True, or raise :class:`SignatureError` unless ``signature`` signs ``payload``.

    ``timestamp`` and ``signature`` are the raw header values (``None`` when
    missing). Freshness is judged only once the signature matched, so an
    unsigned request learns nothing about our clock. Constant-time comparison.
    """
    if not secret:
        raise SignatureError("no secret configured")
    if not signature or not isinstance(signature, str) or not signature.startswith(PREFIX):
        raise SignatureError("missing signature")
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError) as exc:
        raise SignatureError("timestamp is not an integer") from exc
    if not hmac.compare_digest(sign(secret, sent_at, payload), signature.strip()):
        raise SignatureError("signature mismatch")
    now = time.time() if now is None else now
    # Integer arithmetic: a signed but absurd timestamp (10**400) must not overflow a float.
    if abs(int(now) - sent_at) > max_skew:
        raise StaleTimestamp("timestamp outside the accepted window")
    return True
