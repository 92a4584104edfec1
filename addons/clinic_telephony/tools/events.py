"""Validation of PBX events (SPEC T2 contract, R1).

:func:`parse_event` turns a decoded JSON body into a :class:`CallEvent` or
raises :class:`MalformedEvent`; nothing else in the addon has to trust the
PBX's JSON.
"""

from dataclasses import dataclass
from datetime import datetime, timezone

from odoo.addons.clinic_base.tools import signed_request

MAX_TEXT = 256
MAX_URL = 2048

RINGING = "call.ringing"
ANSWERED = "call.answered"
ENDED = "call.ended"
RECORDING = "call.recording"
FAILED = "call.failed"
# Not accepted from the webhook: written by click-to-call ("originate requested") and by
# the sweep that closes a call whose PBX never sent its final event (T14).
ORIGINATE = "call.originate"
LOST = "call.lost"
WEBHOOK_TYPES = (RINGING, ANSWERED, ENDED, RECORDING, FAILED)
TYPES = (ORIGINATE, LOST, *WEBHOOK_TYPES)
DIRECTIONS = ("inbound", "outbound")


class MalformedEvent(signed_request.BadRequest):
    """The body is not a well-formed event of the contract (answered 400)."""


@dataclass(frozen=True)
class CallEvent:
    event_id: str
    type: str
    call_id: str
    direction: str
    from_number: str
    to_number: str
    extension: str
    timestamp: datetime  # naive UTC, as Odoo stores datetimes
    recording_url: str = ""
    source: str = ""

    @property
    def remote_number(self):
        """The patient's side of the call."""
        return self.from_number if self.direction == "inbound" else self.to_number


def _text(data, key, required=True, limit=MAX_TEXT):
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise MalformedEvent(f"{key} must be a string")
    value = value.strip()
    if required and not value:
        raise MalformedEvent(f"{key} is required")
    if len(value) > limit or any(ord(ch) < 32 for ch in value):
        raise MalformedEvent(f"{key} is too long or has control characters")
    return value


def parse_timestamp(value):
    """ISO 8601 -> naive UTC datetime; naive input is read as UTC."""
    if not isinstance(value, str) or len(value) > 40:
        raise MalformedEvent("timestamp must be an ISO 8601 string")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo:
            # Year 1 or 9999 with an offset leaves datetime's range in UTC.
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError) as exc:
        raise MalformedEvent("timestamp is not ISO 8601 or out of range") from exc
    return moment


def parse_event(data, allowed_types=WEBHOOK_TYPES):
    """Check a decoded JSON object against the contract; return a CallEvent."""
    if not isinstance(data, dict):
        raise MalformedEvent("the body must be a JSON object")
    event_type = _text(data, "type")
    if event_type not in allowed_types:
        raise MalformedEvent("unknown event type")
    direction = _text(data, "direction")
    if direction not in DIRECTIONS:
        raise MalformedEvent("direction must be inbound or outbound")
    recording_url = _text(data, "recording_url", required=False, limit=MAX_URL)
    if recording_url and not recording_url.startswith(("https://", "http://")):
        raise MalformedEvent("recording_url must be an http(s) URL")
    if event_type == RECORDING and not recording_url:
        raise MalformedEvent("call.recording needs a recording_url")
    return CallEvent(
        event_id=_text(data, "event_id"),
        type=event_type,
        call_id=_text(data, "call_id"),
        direction=direction,
        from_number=_text(data, "from", required=False),
        to_number=_text(data, "to", required=False),
        extension=_text(data, "extension", required=False),
        timestamp=parse_timestamp(data.get("timestamp")),
        recording_url=recording_url,
        source=_text(data, "source", required=False),
    )


def parse_body(body):
    """Raw request body (bytes, already size-checked by the shared verifier) -> CallEvent.

    Raises MalformedEvent (answered 400).
    """
    try:
        data = signed_request.json_object(body)
    except signed_request.BadRequest as exc:
        raise MalformedEvent(str(exc)) from exc
    return parse_event(data)
