"""HMAC-SHA256 signatures of gateway delivery callbacks (C9).

The gateway signs ``"<timestamp>.<raw body>"`` with the shared secret and sends
``X-Clinic-Timestamp`` and ``X-Clinic-Signature: sha256=<hex>``. Checking the
timestamp bounds how long a captured request can be replayed; idempotent
status updates make replays inside that window harmless.
"""

import hashlib
import hmac

PREFIX = "sha256="
# How far a callback's timestamp may lie from our clock, in seconds.
TOLERANCE = 300


class SignatureError(ValueError):
    """The request is not signed by someone who knows the secret."""


class StaleTimestamp(SignatureError):
    """Signed, but too old (or too far in the future) to be accepted."""


def sign(secret, timestamp, body):
    """Header value for ``body`` (bytes) sent at ``timestamp`` (int seconds)."""
    if isinstance(secret, str):
        secret = secret.encode()
    message = str(int(timestamp)).encode() + b"." + body
    return PREFIX + hmac.new(secret, message, hashlib.sha256).hexdigest()


def verify(secret, header, timestamp, body, now, tolerance=TOLERANCE):
    """Raise :class:`SignatureError` unless ``header`` signs ``body`` at ``timestamp``."""
    if not secret:
        raise SignatureError("no secret configured")
    if not header or not isinstance(header, str) or not header.startswith(PREFIX):
        raise SignatureError("missing signature")
    try:
        ts = int(timestamp)
    except (TypeError, ValueError) as exc:
        raise SignatureError("bad timestamp") from exc
    if not hmac.compare_digest(sign(secret, ts, body), header):
        raise SignatureError("signature mismatch")
    if abs(now - ts) > tolerance:
        raise StaleTimestamp("stale timestamp")
    return True
