"""A local stand-in for Twilio's Programmable Messaging, for tests, demos and benchmarks (C14).

It follows Twilio's documented protocol, and refuses what Twilio refuses:

* REST: ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``, form-encoded,
  HTTP Basic auth with the Account SID and Auth Token
  (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
  ``To`` and ``Body`` are required, and ``From`` or ``MessagingServiceSid``. The
  answer is ``201`` with the Message resource (``sid`` ``SM`` + 32 hex digits,
  ``status`` ``queued``); errors are Twilio's JSON error body
  ``{"code", "message", "more_info", "status"}``
  (https://www.twilio.com/docs/usage/twilios-response): 20003 for bad credentials
  (401), 21211 for an invalid ``To``, 21602 without a body, 21603/21604 without a
  sender or recipient (400). Twilio's Messages API has no idempotency key: a
  request sent twice is two messages, and the emulator counts them as such.
* Status callbacks: ``POST`` to the message's ``StatusCallback``, form-encoded,
  with ``MessageSid``, ``SmsSid``, ``AccountSid``, ``From``, ``To``,
  ``MessageStatus``, ``SmsStatus``, ``ApiVersion`` (and ``ErrorCode`` on failure)
  (https://www.twilio.com/docs/usage/webhooks/messaging-webhooks#outbound-message-status-callback):
  ``sent`` then ``delivered``, or ``undelivered``/``failed`` with an error code.
* Incoming messages: ``POST`` to the number's messaging webhook with
  ``MessageSid``, ``SmsSid``, ``SmsMessageSid``, ``AccountSid``, ``From``, ``To``,
  ``Body``, ``NumMedia``, ``NumSegments``, ``ApiVersion``
  (https://www.twilio.com/docs/messaging/guides/webhook-request).
* Every webhook carries ``X-Twilio-Signature``: base64 of the HMAC-SHA1, keyed
  with the Auth Token, of the full URL followed by each POST parameter's name
  and value in parameter-name order
  (https://www.twilio.com/docs/usage/webhooks/webhooks-security). It is
  computed here from that description, not with the twilio package, so that
  the clinic's check with the package's ``RequestValidator`` is a real test.
"""

import base64
import hashlib
import hmac
import itertools
import re
import secrets
import threading
import time
from email.utils import formatdate
from urllib.parse import parse_qs, urlencode

import requests

from .json_server import JsonEmulator

API_VERSION = "2010-04-01"
MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>AC[0-9a-f]{32})/Messages\.json$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
# What happens to a message sent to a number: its status callbacks in order.
OUTCOMES = {
    "deliver": (("sent", None), ("delivered", None)),
    "undelivered": (("sent", None), ("undelivered", "30003")),  # unreachable handset
    "fail": (("failed", "30008"),),  # unknown error
    "silent": (),
}


def signature(auth_token, url, params):
    """``X-Twilio-Signature`` of a webhook to ``url`` with form ``params`` (a dict)."""
    data = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio_error(status, code, message):
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class TwilioEmulator(JsonEmulator):
    """In-process Twilio: ``start()`` it and give the gateway its ``url`` as API URL."""

    def __init__(self, account_sid=None, auth_token=None, outcomes=None, default="deliver"):
        self.account_sid = account_sid or "AC" + secrets.token_hex(16)
        self.auth_token = auth_token or secrets.token_hex(16)
        self.outcomes = dict(outcomes or {})
        self.default = default
        self.delay = 0.0  # seconds before answering a create (races in tests)
        self.messages = []  # every accepted create, in order: {"sid", "to", "from", "body"}
        self.pending = []  # (callback url, params) of status callbacks not posted yet
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def reset(self):
        with self._lock:
            self.messages.clear()
            self.pending.clear()

    def _authorized(self, authorization):
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return hmac.compare_digest(authorization, f"Basic {expected}")

    def handle(self, path, authorization, body):
        """Answer one REST request: ``(http status, json answer)``."""
        body = body.decode() if isinstance(body, bytes) else body
        match = MESSAGES_PATH.match(path.split("?", 1)[0])
        if not match:
            return twilio_error(404, 20404, "The requested resource was not found")
        if not self._authorized(authorization) or match["account"] != self.account_sid:
            return twilio_error(401, 20003, "Authenticate")
        form = {key: values[-1] for key, values in parse_qs(body).items()}
        to, sender = form.get("To"), form.get("From") or form.get("MessagingServiceSid")
        if not to:
            return twilio_error(400, 21604, "A 'To' phone number is required.")
        if not sender:
            return twilio_error(400, 21603, "A 'From' phone number is required.")
        if not form.get("Body"):
            return twilio_error(400, 21602, "Message body is required.")
        if not E164.match(to):
            return twilio_error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if self.delay:
            time.sleep(self.delay)
        sid = f"SM{next(self._ids):032x}"
        with self._lock:
            self.messages.append({"sid": sid, "to": to, "from": sender, "body": form["Body"]})
            callback = form.get("StatusCallback")
            if callback:
                for status, error in OUTCOMES[self.outcomes.get(to, self.default)]:
                    params = {
                        "MessageSid": sid,
                        "SmsSid": sid,
                        "AccountSid": self.account_sid,
                        "From": form.get("From") or "",
                        "To": to,
                        "MessageStatus": status,
                        "SmsStatus": status,
                        "ApiVersion": API_VERSION,
                    }
                    if error:
                        params["ErrorCode"] = error
                    self.pending.append((callback, params))
        now = formatdate(usegmt=True)
        return 201, {
            "sid": sid,
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": form["Body"],
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "status": "queued",
            "to": to,
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }

    def count_to(self, number):
        return sum(1 for message in self.messages if message["to"] == number)

    def signed(self, url, params, auth_token=None):
        """``(body, headers)`` of a webhook Twilio would post to ``url``."""
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature(auth_token or self.auth_token, url, params),
            "I-Twilio-Idempotency-Token": secrets.token_hex(16),
        }
        return urlencode(params), headers

    def post_callbacks(self, session=None):
        """Post every pending status callback; returns the HTTP status codes."""
        with self._lock:
            pending, self.pending = self.pending, []
        codes = []
        for url, params in pending:
            body, headers = self.signed(url, params)
            response = (session or requests).post(url, data=body, headers=headers, timeout=10)
            codes.append(response.status_code)
        return codes

    def incoming(self, url, sender, to, text, session=None):
        """A patient texts the clinic's Twilio number; returns Twilio's webhook response."""
        sid = f"SM{next(self._ids):032x}"
        params = {
            "MessageSid": sid,
            "SmsSid": sid,
            "SmsMessageSid": sid,
            "AccountSid": self.account_sid,
            "From": sender,
            "To": to,
            "Body": text,
            "NumMedia": "0",
            "NumSegments": "1",
            "ApiVersion": API_VERSION,
        }
        body, headers = self.signed(url, params)
        return (session or requests).post(url, data=body, headers=headers, timeout=10)
