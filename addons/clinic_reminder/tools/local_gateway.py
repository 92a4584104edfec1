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

Run it for the demo::

    python3 addons/clinic_reminder/tools/local_gateway.py --port 8765 --token demo --secret demo
"""

import argparse
import itertools
import json
import logging
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

if __package__:
    from odoo.addons.clinic_base.tools.signature import sign
else:  # run as a script: python3 addons/clinic_reminder/tools/local_gateway.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clinic_base" / "tools"))
    from signature import sign

_logger = logging.getLogger(__name__)

OUTCOME_STATUSES = {
    "deliver": ("delivered",),
    "read": ("delivered", "read"),
    "fail": ("failed",),
    "silent": (),
}


class LocalGateway:
    """In-process gateway; ``start()`` it, point a gateway record at ``url``."""

    def __init__(self, token, secret, callback_url=None, outcomes=None, default="deliver"):
        self.token = token
        self.secret = secret
        self.callback_url = callback_url
        self.outcomes = dict(outcomes or {})
        self.default = default
        self.sent = {}  # reference -> {"id", "to", "text"}
        self.pending = []  # (provider id, reference, status)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port=0):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Without this, header and body leave in two segments and the
            # client's delayed ACK costs ~40 ms per message on keep-alive.
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, answer = gateway.handle(
                    self.path, self.headers.get("Authorization", ""), body
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def handle(self, path, authorization, body):
        """Answer one request: ``(http status, json answer)``."""
        if path.rstrip("/") != "/messages":
            return 404, {"error": "not found"}
        if authorization != f"Bearer {self.token}":
            return 401, {"error": "unauthorized"}
        try:
            payload = json.loads(body)
            to, text, reference = payload["to"], payload["text"], payload["reference"]
        except (ValueError, KeyError, TypeError):
            return 400, {"error": "malformed request"}
        with self._lock:
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

    def reset(self):
        """Forget what was sent (between tests)."""
        with self._lock:
            self.sent.clear()
            self.pending.clear()

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
    parser.add_argument("--secret", required=True)
    parser.add_argument("--callback", help="default callback URL (messages usually name theirs)")
    parser.add_argument("--fail", action="append", default=[], help="E.164 number that fails")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between reports")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    gateway = LocalGateway(
        args.token, args.secret, args.callback, outcomes=dict.fromkeys(args.fail, "fail")
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
