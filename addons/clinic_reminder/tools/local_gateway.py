"""Local test gateway: a small HTTP service speaking the JSON gateway protocol (C9).

Tests, the benchmark and the demo start it on 127.0.0.1 so that a whole
campaign runs offline. Protocol (the same one the "JSON HTTP" gateway kind
speaks to real SMS providers):

* ``POST /messages`` with ``Authorization: Bearer <token>`` and
  ``{"to": "+49...", "text": "...", "reference": "<unique>", "callback_url": "..."}`` answers
  ``{"id": "<provider id>"}``. A repeated ``reference`` gets the same id and is
  not sent twice.
* Delivery reports go back to the message's ``callback_url`` (or the
  service's default one) as
  ``{"id": ..., "reference": ..., "status": "delivered" | "read" | "failed"}``
  signed like :mod:`.signature` describes.

What happens to each number is configurable: ``outcomes[number]`` is
``"deliver"`` (default), ``"read"``, ``"fail"`` or ``"silent"`` (no report).

It also stands in for the Telegram Bot API (``url`` as the gateway's API URL):
``POST /bot<token>/setWebhook`` and ``/bot<token>/sendMessage``, which only
reaches chats that started the bot, as on Telegram. :meth:`LocalGateway.telegram_start`
plays a patient opening the bot's deep link: the ``/start <payload>`` update
goes to the registered webhook with its secret token.

Run it for the demo::

    python3 addons/clinic_reminder/tools/local_gateway.py --port 8765 --token demo --secret demo

(``--secret``: the gateway's secret in Odoo; the reports are signed with the
delivery-report key derived from it, as the gateway's form shows.)
"""

import argparse
import itertools
import json
import logging
import re
import sys
import threading
import time
from pathlib import Path

import requests

if __package__:
    from odoo.addons.clinic_base.tools.signature import sign

    from . import keys
    from .json_server import JsonEmulator
else:  # run as a script: python3 addons/clinic_reminder/tools/local_gateway.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clinic_base" / "tools"))
    import keys
    from json_server import JsonEmulator
    from signature import sign

_logger = logging.getLogger(__name__)

BOT_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>\w+)$")

OUTCOME_STATUSES = {
    "deliver": ("delivered",),
    "read": ("delivered", "read"),
    "fail": ("failed",),
    "silent": (),
}


class LocalGateway(JsonEmulator):
    """In-process gateway; ``start()`` it, point a gateway record at ``url``."""

    def __init__(self, token, secret, callback_url=None, outcomes=None, default="deliver"):
        self.token = token
        self.secret = secret
        self.callback_url = callback_url
        self.outcomes = dict(outcomes or {})
        self.default = default
        self.sent = {}  # reference -> {"id", "to", "text"}
        self.requests = []  # the reference of every POST /messages, repeats included
        self.delay = 0.0  # seconds before answering a message (races in tests)
        self.telegram_chats = set()  # chat ids (str) that started the bot
        self.telegram_webhook = None  # {"url", "secret_token"} from setWebhook
        self.pending = []  # (provider id, reference, status)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def handle(self, path, authorization, body):
        """Answer one request: ``(http status, json answer)``."""
        bot = BOT_PATH.match(path)
        if bot:
            return self.handle_bot(bot["token"], bot["method"], body)
        if path.rstrip("/") != "/messages":
            return 404, {"error": "not found"}
        if authorization != f"Bearer {self.token}":
            return 401, {"error": "unauthorized"}
        try:
            payload = json.loads(body)
            to, text, reference = payload["to"], payload["text"], payload["reference"]
        except (ValueError, KeyError, TypeError):
            return 400, {"error": "malformed request"}
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            self.requests.append(reference)
            known = self.sent.get(reference)
            if known:
                return 200, {"id": known["id"]}
            provider_id = f"local-{next(self._ids)}"
            self.sent[reference] = {"id": provider_id, "to": to, "text": text}
            callback = payload.get("callback_url") or self.callback_url
            outcome = self.outcomes.get(to, self.default)
            for status in OUTCOME_STATUSES[outcome]:
                self.pending.append((callback, provider_id, reference, status))
        return 200, {"id": provider_id}

    def handle_bot(self, token, method, body):
        """The few Telegram Bot API methods the clinic uses, answered as Telegram does."""
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        try:
            payload = json.loads(body)
        except ValueError:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request"}
        if method == "setWebhook":
            with self._lock:
                self.telegram_webhook = {
                    "url": payload.get("url"),
                    "secret_token": payload.get("secret_token"),
                }
            return 200, {"ok": True, "result": True, "description": "Webhook was set"}
        if method != "sendMessage":
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        chat_id, text = str(payload.get("chat_id")), payload.get("text")
        if chat_id not in self.telegram_chats:
            return 403, {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot can't initiate conversation with a user",
            }
        with self._lock:
            message_id = next(self._ids)
            self.sent[f"telegram-{message_id}"] = {"id": message_id, "to": chat_id, "text": text}
        return 200, {
            "ok": True,
            "result": {"message_id": message_id, "chat": {"id": int(chat_id)}, "text": text},
        }

    def telegram_request(self, chat_id, text):
        """``(url, body, headers)`` of the webhook call Telegram makes for ``text`` in a chat."""
        webhook = self.telegram_webhook or {}
        update_id = next(self._ids)
        body = json.dumps(
            {
                "update_id": update_id,
                "message": {
                    "message_id": update_id,
                    "from": {"id": chat_id, "is_bot": False, "first_name": "Patient"},
                    "chat": {"id": chat_id, "type": "private"},
                    "date": int(time.time()),
                    "text": text,
                },
            }
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": webhook.get("secret_token") or "",
        }
        return webhook.get("url"), body, headers

    def telegram_start(self, chat_id, payload, session=None):
        """A patient opens ``t.me/<bot>?start=<payload>`` and taps Start; returns the
        webhook's HTTP status."""
        self.telegram_chats.add(str(chat_id))
        url, body, headers = self.telegram_request(chat_id, f"/start {payload}")
        response = (session or requests).post(url, data=body, headers=headers, timeout=10)
        return response.status_code

    def reset(self):
        """Forget what was sent (between tests)."""
        with self._lock:
            self.sent.clear()
            self.requests.clear()
            self.pending.clear()
            self.telegram_chats.clear()

    def texts_to(self, number):
        return [m["text"] for m in self.sent.values() if m["to"] == number]

    def signed_request(self, payload, timestamp=None):
        """``(body, headers)`` of a callback as this gateway would post it."""
        body = json.dumps(payload).encode()
        ts = int(timestamp if timestamp is not None else time.time())
        headers = {
            "Content-Type": "application/json",
            "X-Clinic-Timestamp": str(ts),
            "X-Clinic-Signature": sign(self.secret, ts, body),
        }
        return body, headers

    def post_callbacks(self, session=None):
        """Post every pending delivery report; returns the HTTP status codes."""
        with self._lock:
            pending, self.pending = self.pending, []
        http = session or requests
        codes = []
        for callback, provider_id, reference, status in pending:
            body, headers = self.signed_request(
                {"id": provider_id, "reference": reference, "status": status}
            )
            response = http.post(callback, data=body, headers=headers, timeout=10)
            codes.append(response.status_code)
        return codes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token", required=True)
    parser.add_argument(
        "--secret",
        required=True,
        help="the gateway's secret in Odoo; reports are signed with its delivery-report key",
    )
    parser.add_argument("--callback", help="default callback URL (messages usually name theirs)")
    parser.add_argument("--fail", action="append", default=[], help="E.164 number that fails")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between reports")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    gateway = LocalGateway(
        args.token,
        keys.derive(args.secret, keys.DELIVERY_REPORTS),
        args.callback,
        outcomes=dict.fromkeys(args.fail, "fail"),
    ).start(args.port)
    _logger.info("local gateway on %s, default callback %s", gateway.url, args.callback)
    try:
        while True:
            time.sleep(args.interval)
            try:
                gateway.post_callbacks()
            except requests.RequestException as exc:
                _logger.warning("callback failed: %s", exc)
    except KeyboardInterrupt:
        gateway.stop()


if __name__ == "__main__":
    main()
