"""One key per purpose, derived from a gateway's secret (issue 11.3, R3).

A gateway has one stored secret; what leaves the clinic is never that secret
but a key derived from it for one purpose (HMAC-SHA256 as a PRF, the way
HKDF's expand step does it, RFC 5869). Telegram sees its webhook's
``secret_token`` in every request it makes, an SMS integrator holds the key
that signs delivery reports, and patients' links carry signatures: learning one
of them gives no way to forge the others.
"""

import hashlib
import hmac

LINK_SIGNING = "telegram-link"
DELIVERY_REPORTS = "delivery-reports"
TELEGRAM_WEBHOOK = "telegram-webhook"
PURPOSES = (LINK_SIGNING, DELIVERY_REPORTS, TELEGRAM_WEBHOOK)


def derive(secret, purpose):
    """The 256-bit key (64 hex digits) of ``purpose`` under ``secret``."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown key purpose {purpose!r}")
    if not secret:
        return ""
    label = f"clinic-reminder/{purpose}".encode()
    return hmac.new(secret.encode(), label, hashlib.sha256).hexdigest()
