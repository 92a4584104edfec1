"""One gate for every signed machine request (SPEC T2 contract, T11, C9, R1).

The PBX webhook, the PBX CallerID lookup and the reminder gateways' delivery
reports all pass through :func:`verify_request` and answer with the status
codes of the T2 contract, whatever went wrong:

* 400 - malformed or oversized (more than ``max_bytes``, 64 KiB by default);
* 401 - bad or missing signature, or a timestamp off by more than 300 s;
* 404 - unknown sender code (raised by the caller, who owns the lookup).

The size is judged before the body is read: an announced ``Content-Length``
above the cap is refused unread, and a body without one is read at most one
byte past the cap. Pure functions, no ORM; the caller maps
:attr:`RejectedRequest.status` to its HTTP answer.
"""

import json

from . import signature

# SPEC T2: "400 malformed or oversized (> 64 KiB)"; every signed endpoint uses it.
MAX_BYTES = 64 * 1024
TIMESTAMP_HEADER = "X-Clinic-Timestamp"
SIGNATURE_HEADER = "X-Clinic-Signature"


class RejectedRequest(Exception):
    """A request refused before anything was written; ``status`` is its HTTP answer."""

    status = 400

    def public_message(self):
        """Short text for the answer's body: what the sender can fix."""
        return str(self)


class BadRequest(RejectedRequest):
    """Malformed or oversized (400)."""

    status = 400


class Unauthorized(RejectedRequest):
    """Bad or missing signature, or stale timestamp (401)."""

    status = 401

    def public_message(self):
        # Which check failed (signature or clock) is for our log, not for the sender.
        return "invalid signature"


class UnknownSender(RejectedRequest):
    """No sender answers to the code in the URL (404)."""

    status = 404


def _header(headers, name):
    value = headers.get(name)
    if value is None and isinstance(headers, dict):
        # Plain dicts (tests, CLI tools) are not case-insensitive like HTTP headers.
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value


def input_stream(httprequest):
    """The unread body of an Odoo request as werkzeug's length-guarded stream.

    Odoo 18's ``HTTPRequest`` wraps werkzeug's request without exposing its
    ``stream`` (``HTTPREQUEST_ATTRIBUTES`` in odoo/http.py); its ``get_data``
    would read a chunked body whole before its size could be judged.
    """
    return httprequest._HTTPRequest__wrapped.stream


def read_body(headers, body_or_stream, max_bytes=MAX_BYTES):
    """The request's payload as bytes, or :class:`BadRequest` when it exceeds ``max_bytes``.

    ``body_or_stream`` is either the payload itself (bytes or str, e.g. a
    query string) or a readable stream (the WSGI input): then the announced
    ``Content-Length`` is checked first and at most ``max_bytes + 1`` bytes are read.
    """
    if isinstance(body_or_stream, str):
        body = body_or_stream.encode()
    elif isinstance(body_or_stream, bytes | bytearray):
        body = bytes(body_or_stream)
    else:
        announced = _header(headers, "Content-Length")
        if announced not in (None, ""):
            try:
                announced = int(announced)
            except (TypeError, ValueError) as exc:
                raise BadRequest("invalid Content-Length") from exc
            if announced > max_bytes:
                raise BadRequest("body too large")
        body = body_or_stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise BadRequest("body too large")
    return body


def verify_request(secret, headers, body_or_stream, max_bytes=MAX_BYTES, now=None):
    """Return the payload (bytes) once it is small enough and signed with ``secret``.

    Raises :class:`BadRequest` (400) when oversized and :class:`Unauthorized`
    (401) when the ``X-Clinic-Signature``/``X-Clinic-Timestamp`` pair does not
    sign it with ``secret`` or is stale (see :func:`.signature.verify`).
    """
    body = read_body(headers, body_or_stream, max_bytes)
    try:
        signature.verify(
            secret,
            _header(headers, TIMESTAMP_HEADER),
            _header(headers, SIGNATURE_HEADER),
            body,
            now=now,
        )
    except signature.SignatureError as exc:
        raise Unauthorized(str(exc)) from exc
    return body


def json_object(body):
    """Decode a JSON object from UTF-8 bytes; :class:`BadRequest` for anything else.

    JSON between systems is UTF-8 (RFC 8259 section 8.1): a body Python's decoder
    would also read as UTF-16 is refused, so the raw body stored next to the event
    is always text. Nesting deeper than the interpreter's recursion limit makes the
    decoder raise RecursionError: that is malformed input too, not a crash.
    """
    try:
        data = json.loads(body.decode() if isinstance(body, bytes) else body)
    except (ValueError, RecursionError) as exc:
        raise BadRequest("body is not JSON") from exc
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return data
