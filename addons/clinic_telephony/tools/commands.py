"""Commands from Odoo to a PBX (SPEC T12): originate and hang up. ORM-free.

Webhook PBXs (and the simulator) get the documented command contract: a signed
``POST <command URL>`` with a JSON body (:func:`command_body`), signed exactly
like the event webhook (``X-Clinic-Timestamp``, ``X-Clinic-Signature: sha256=
HMAC(secret, "<timestamp>.<raw body>")``, see clinic_base's ``tools/signature``).
A 2xx answer means "accepted"; anything else, or no answer within
:data:`TIMEOUT` seconds, raises :class:`CommandError`.

Asterisk PBXs get the same two commands as ARI REST calls (``tools/ari``):
originate is ``POST /channels``, hangup ``DELETE /channels/{channelId}``.

:func:`parse_command` is the PBX side of the contract: the simulator's listener
uses it, and a PBX integrator can read it as the reference of what Odoo sends.
"""

import json
import time
from datetime import datetime, timezone

import requests

from odoo.addons.clinic_base.tools.signature import sign

from . import events as ev

TIMEOUT = 5  # seconds (SPEC T12: no answer within 5 s fails the call)
ORIGINATE = "originate"
HANGUP = "hangup"
COMMANDS = (ORIGINATE, HANGUP)
MAX_BODY = 16 * 1024

# Why a command failed; the model turns these into translated messages.
HTTP_STATUS = "http_status"
NO_ANSWER = "no_answer"
UNREACHABLE = "unreachable"
REFUSED = "refused"  # the PBX's own error message (ARI)


class CommandError(Exception):
    """The PBX did not accept a command: ``kind`` (above) and a technical ``detail``."""

    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


class MalformedCommand(ValueError):
    """A command body that does not follow the contract (PBX side)."""


def command_body(command_id, command, call_id, extension, number=None, when=None):
    """The JSON body of one command (SPEC T12 contract)."""
    if command not in COMMANDS:
        raise ValueError(f"unknown command {command!r}")
    body = {
        "command_id": command_id,
        "command": command,
        "call_id": call_id,
        "extension": extension,
        "timestamp": (when or datetime.now(timezone.utc)).isoformat(),
    }
    if command == ORIGINATE:
        body["number"] = number
    return body


def post(url, secret, body, session=None, timeout=None):
    """Sign and POST ``body`` to the PBX's command URL; return the HTTP status.

    Raises :class:`CommandError` unless the PBX answered 2xx within ``timeout``
    (default :data:`TIMEOUT`). Redirects are not followed: a command goes to
    the configured address only.
    """
    timeout = TIMEOUT if timeout is None else timeout
    raw = json.dumps(body).encode()
    headers = signed_headers(secret, raw)
    try:
        response = (session or requests).post(
            url, data=raw, headers=headers, timeout=timeout, allow_redirects=False
        )
    except requests.Timeout as exc:
        raise CommandError(NO_ANSWER, str(exc)) from exc
    except requests.RequestException as exc:
        raise CommandError(UNREACHABLE, str(exc)) from exc
    if not 200 <= response.status_code < 300:
        raise CommandError(HTTP_STATUS, str(response.status_code))
    return response.status_code


def signed_headers(secret, raw):
    """Headers of a signed JSON request, as the event webhook and the command contract
    both have them (``raw`` is the exact body sent)."""
    timestamp = str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "X-Clinic-Timestamp": timestamp,
        "X-Clinic-Signature": sign(secret, timestamp, raw),
    }


def parse_command(raw):
    """Raw body (bytes) -> the command dict; raises :class:`MalformedCommand`."""
    if len(raw) > MAX_BODY:
        raise MalformedCommand("body too large")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedCommand("body is not JSON") from exc
    if not isinstance(data, dict):
        raise MalformedCommand("the body must be a JSON object")
    for key in ("command_id", "command", "call_id", "extension", "timestamp"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise MalformedCommand(f"{key} is required")
    if data["command"] not in COMMANDS:
        raise MalformedCommand("unknown command")
    if data["command"] == ORIGINATE and not (
        isinstance(data.get("number"), str) and data["number"].startswith("+")
    ):
        raise MalformedCommand("originate needs an E.164 number")
    try:
        ev.parse_timestamp(data["timestamp"])
    except ev.MalformedEvent as exc:
        raise MalformedCommand(str(exc)) from exc
    return data
