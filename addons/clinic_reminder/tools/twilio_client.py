"""Sending SMS through Twilio's Messages API with the twilio package (C14), ORM-free.

``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` through
``Client.messages.create`` (https://www.twilio.com/docs/messaging/api/message-resource).
Twilio's Messages API takes no idempotency key, so nothing here retries a
request that may have reached Twilio: the twilio package's HTTP client does not
retry unless asked (``max_retries``), and a timeout or a 5xx is an unknown
outcome (C11). Requests go out from a small thread pool, one client per thread
(``requests`` sessions are not shared between threads).
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from . import message_state as ms
from . import outcome as oc
from .http_client import TIMEOUT, not_sent

# The twilio package logs every request (URL, headers) at INFO: ten lines per SMS, fifty
# thousand for a day's campaign under Odoo's default INFO level. Its errors still reach the
# log: they come back as exceptions and are recorded on the message.
_http_logger = logging.getLogger(__name__ + ".http")
_http_logger.setLevel(logging.WARNING)

# MessageStatus of Twilio's status callbacks -> our states; the others tell nothing new
# (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values).
STATUSES = {
    "sent": ms.SENT,
    "delivered": ms.DELIVERED,
    "read": ms.READ,
    "undelivered": ms.FAILED,
    "failed": ms.FAILED,
    "canceled": ms.FAILED,
}


def status(message_status):
    """Our state for a Twilio ``MessageStatus``, or None."""
    return STATUSES.get((message_status or "").lower())


def classify_error(exc):
    """The outcome of a create that raised ``exc``."""
    if isinstance(exc, TwilioRestException):
        error = f"Twilio {exc.code or exc.status}: {exc.msg}"
        if exc.status == 429:  # Too Many Requests: Twilio did not take it
            return oc.retry(error)
        if 400 <= exc.status < 500:
            return oc.refused(error)
        return oc.unknown(error)  # a 5xx may come after Twilio queued the message
    if isinstance(exc, requests.RequestException):
        error = str(exc) or type(exc).__name__
        return oc.retry(error) if not_sent(exc) else oc.unknown(error)
    return oc.unknown(f"{type(exc).__name__}: {exc}")


def send_all(account_sid, auth_token, base_url, messages, workers=4, timeout=TIMEOUT):
    """Create one Twilio message per ``dict(to=, body=, from_=, messaging_service_sid=,
    status_callback=)``; returns one :class:`~.outcome.Outcome` per message, in order."""
    local = threading.local()

    def client():
        if not hasattr(local, "client"):
            local.client = Client(
                account_sid,
                auth_token,
                http_client=TwilioHttpClient(timeout=timeout, logger=_http_logger),
            )
            if base_url:
                # A Twilio-compatible endpoint (the local emulator, a regional edge).
                local.client.api.base_url = base_url.rstrip("/")
        return local.client

    def create(params):
        try:
            message = client().messages.create(
                **{key: value for key, value in params.items() if value}
            )
        except Exception as exc:  # noqa: BLE001 - every failure is classified
            return classify_error(exc)
        return oc.accepted(message.sid, ms.SENT)

    messages = list(messages)
    if not messages:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(messages)))) as pool:
        return list(pool.map(create, messages))
