"""Asterisk REST Interface (ARI): call control, events and recordings (SPEC T2b, T12, T13, R4).

Built on Asterisk's published ARI documentation, the Swagger files
``rest-api/api-docs/*.json`` of Asterisk's source (rendered at
https://docs.asterisk.org/Asterisk_22_Documentation/API_Documentation/Asterisk_REST_Interface/).
The operations used, by their documented nickname:

* channels.json: ``list`` GET /channels, ``originate`` POST /channels,
  ``hangup`` DELETE /channels/{channelId}, ``answer`` POST /channels/{channelId}/answer,
  ``ring`` POST /channels/{channelId}/ring, ``continueInDialplan``
  POST /channels/{channelId}/continue;
* bridges.json: ``create`` POST /bridges, ``addChannel`` POST /bridges/{bridgeId}/addChannel,
  ``destroy`` DELETE /bridges/{bridgeId}, ``record`` POST /bridges/{bridgeId}/record;
* applications.json: ``subscribe`` POST /applications/{applicationName}/subscription;
* recordings.json: ``getStoredFile`` GET /recordings/stored/{recordingName}/file;
* events.json: the websocket ``eventWebsocket`` GET /events?app=..., and the events
  StasisStart, StasisEnd, ChannelStateChange, ChannelHangupRequest, ChannelDestroyed,
  Dial, RecordingFinished.

ORM-free parts:

* :class:`CallControl` is the Stasis application's brain: fed ARI events, it
  returns the REST actions to take and our webhook-shaped events. A channel in
  Stasis does nothing until the application acts (ARI semantics), so in
  "control" mode it rings the desk phones, bridges the one that answers and
  hangs up the rest, dials the patient once the desk phone of a click-to-call
  answers, and ends both sides when either hangs up. In "observe" mode it
  hands every call back to the dialplan (``continueInDialplan``) and only
  watches it (a ``subscribe`` keeps the channel's events coming after it left
  the application).
* :class:`AriRest` calls the REST API with timeouts and typed errors.
* :class:`AriConnector` keeps the websocket open, reconnects with exponential
  backoff after a drop and reconciles with ``GET /channels`` after every
  (re)connection (R4).

Conventions (``readme/CONFIGURE.md``): the dialplan sends inbound calls to
``Stasis(<app>)`` or ``Stasis(<app>,inbound,<extension>)``; channels we
originate carry ``appArgs`` ``outbound,<extension>,<number>`` (the desk phone of
a click-to-call, whose channel id is Odoo's call id), ``desk,<call>,<extension>``
(a desk phone rung for an inbound call) and ``patient,<call>`` (the patient's
side of a click-to-call).
"""

import json
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import requests
import websocket

from . import commands
from . import events as ev

_logger = logging.getLogger(__name__)

TIMEOUT = 5  # seconds for every REST call
CONTROL = "control"
OBSERVE = "observe"
# Our call ids for click-to-call start with this (clinic.call.dial).
CLICK_TO_CALL_PREFIX = "clinic-"
FAILED_DIAL = ("CHANUNAVAIL", "CONGESTION")
# Q.850 hangup causes meaning "this number cannot be reached" rather than "nobody
# answered": unallocated number, no route, subscriber absent, destination out of
# order, invalid format, congestion, network out of order.
FAILED_CAUSES = frozenset({1, 3, 20, 27, 28, 34, 38})
ROLES = ("inbound", "outbound", "desk", "patient")
BRIDGE_SUFFIX = "-bridge"
# Channels of finished calls, remembered so that their late events are not taken
# for new calls.
MEMORY = 10000


class AriError(commands.CommandError):
    """ARI answered with an error or could not be reached."""


def originate_args(extension, number):
    return f"outbound,{extension},{number}"


def endpoint(template, **values):
    """Fill an endpoint template such as ``PJSIP/{extension}`` or ``PJSIP/{number}@trunk``.

    ``{number}`` is the E.164 number, ``{digits}`` the same without "+".
    """
    number = values.get("number") or ""
    return template.format(
        extension=values.get("extension") or "", number=number, digits=number.lstrip("+")
    )


def _now():
    return datetime.now(timezone.utc).isoformat()


@dataclass(frozen=True)
class Action:
    """One REST call for :class:`AriRest`: the method's name and its arguments."""

    name: str
    kwargs: dict

    def __repr__(self):
        return f"{self.name}({', '.join(f'{k}={v!r}' for k, v in self.kwargs.items())})"


@dataclass
class Policy:
    """How the application handles a new call; read from the PBX's settings."""

    mode: str = CONTROL
    desk_endpoint: str = "PJSIP/{extension}"
    outbound_endpoint: str = "PJSIP/{number}@trunk"
    outbound_context: str = "from-internal"
    ring_extensions: tuple = ()
    record: bool = False


@dataclass
class Leg:
    channel_id: str
    call_id: str
    role: str
    extension: str = ""
    up: bool = False  # in the application, i.e. answered
    gone: bool = False
    hung_up: bool = False  # we asked Asterisk to hang it up
    continued: bool = False  # handed back to the dialplan on purpose


@dataclass
class Call:
    call_id: str
    direction: str
    extension: str = ""
    remote: str = ""
    observed: bool = False
    answered: bool = False
    ended: bool = False
    bridge_id: str = ""
    legs: dict = field(default_factory=dict)  # channel id -> Leg


class CallControl:
    """The Stasis application: ARI events in, (REST actions, our events) out.

    ``policy`` is a callable returning the :class:`Policy` for a new call (the
    connector reads it from the database). ``recording_base`` is the ARI URL
    under which stored recordings are fetched.
    """

    def __init__(self, app, policy, recording_base=""):
        self.app = app
        self.policy = policy
        self.recording_base = recording_base.rstrip("/")
        self.calls = {}  # call id -> Call
        self.legs = {}  # channel id -> Leg
        self.recordings = {}  # recording name -> Call
        self.finished = OrderedDict()  # channel ids of forgotten calls

    # --- entry points -------------------------------------------------------

    def handle(self, message):
        """Return ``(actions, events)`` for one ARI event (a decoded dict)."""
        kind = message.get("type")
        stamp = message.get("timestamp") or _now()
        handler = {
            "StasisStart": self._on_stasis_start,
            "StasisEnd": self._on_stasis_end,
            "ChannelStateChange": self._on_state_change,
            "Dial": self._on_dial,
            "ChannelHangupRequest": self._on_gone,
            "ChannelDestroyed": self._on_gone,
            "RecordingFinished": self._on_recording,
        }.get(kind)
        if not handler:
            return [], []
        return handler(message, stamp)

    def action_failed(self, action, error):
        """A REST action was refused: a leg we could not create counts as gone."""
        _logger.warning("ARI %r failed: %s", action, error)
        if action.name != "originate":
            return [], []
        channel_id = action.kwargs["channel_id"]
        if channel_id not in self.legs:
            return [], []
        return self._on_gone(
            {"channel": {"id": channel_id}, "cause": 34, "type": "OriginateFailed"}, _now()
        )

    def reconcile(self, channels, bridges=()):
        """After a (re)connection: ``channels`` and ``bridges`` are the answers of
        ``GET /channels`` and ``GET /bridges``.

        Calls bridged by a previous run of the connector are taken back from
        their bridges (named ``<call id>-bridge``); legs that vanished meanwhile
        are handled as hung up; inbound channels waiting in the application
        that nobody handled (the connector was down when they arrived) are
        handled now. Returns ``(actions, events, live)`` where ``live`` maps the
        live call ids to "answered".
        """
        live_ids = {channel["id"] for channel in channels}
        for bridge in bridges:
            self._adopt_bridge(bridge)
        actions, events = [], []
        for leg in [leg for leg in self.legs.values() if leg.channel_id not in live_ids]:
            more = self._on_gone({"channel": {"id": leg.channel_id}, "type": "Vanished"}, _now())
            actions += more[0]
            events += more[1]
        for channel in channels:
            args = self._stasis_args(channel)
            if (
                args is not None
                and channel["id"] not in self.legs
                and channel.get("state")
                in (
                    "Ring",
                    "Ringing",
                )
            ):
                more = self._on_stasis_start({"channel": channel, "args": args}, _now())
                actions += more[0]
                events += more[1]
        live = {}
        for channel in channels:
            call = self.calls.get(channel["id"])
            if call:
                live[call.call_id] = call.answered
            elif channel["id"] not in self.legs:
                live[channel["id"]] = channel.get("state") == "Up"
        return actions, events, live

    def _adopt_bridge(self, bridge):
        bridge_id = bridge.get("id") or ""
        call_id = bridge_id[: -len(BRIDGE_SUFFIX)]
        if not bridge_id.endswith(BRIDGE_SUFFIX) or not call_id or call_id in self.calls:
            return
        outbound = call_id.startswith(CLICK_TO_CALL_PREFIX)
        call = Call(
            call_id=call_id,
            direction="outbound" if outbound else "inbound",
            bridge_id=bridge_id,
            answered=len(bridge.get("channels") or []) > 1,
        )
        self._track(call, Leg(call_id, call_id, "outbound" if outbound else "inbound", up=True))
        for channel_id in bridge.get("channels") or []:
            if channel_id != call_id:
                role = "patient" if outbound else "desk"
                self._track(call, Leg(channel_id, call_id, role, up=True))

    # --- events ---------------------------------------------------------------

    def _stasis_args(self, channel):
        """Arguments of a channel waiting in our application, or None."""
        dialplan = channel.get("dialplan") or {}
        if dialplan.get("app_name") != "Stasis":
            return None
        parts = (dialplan.get("app_data") or "").split(",")
        return parts[1:] if parts[0] == self.app else None

    def _on_stasis_start(self, message, stamp):
        channel = message.get("channel") or {}
        args = list(message.get("args") or [])
        role = args[0] if args and args[0] in ROLES else "inbound"
        if role == "desk" and len(args) >= 3:
            return self._desk_answered(channel, args[1], args[2], stamp)
        if role == "patient" and len(args) >= 2:
            return self._patient_answered(channel, args[1], stamp)
        if role == "outbound":
            return self._click_to_call_desk_up(channel, args, stamp)
        return self._inbound(channel, args, stamp)

    def _inbound(self, channel, args, stamp):
        chan_id = channel["id"]
        if chan_id in self.calls:
            return [], []
        named = args[1] if len(args) > 1 else ""
        policy = self.policy()
        call = Call(
            call_id=chan_id,
            direction="inbound",
            extension=named or (channel.get("dialplan") or {}).get("exten", ""),
            remote=(channel.get("caller") or {}).get("number", ""),
        )
        self._track(call, Leg(chan_id, chan_id, "inbound", up=True))
        ring = [named] if named else list(policy.ring_extensions)
        if policy.mode == OBSERVE or not ring:
            # Hand the call back to the dialplan and keep watching it.
            call.observed = True
            call.legs[chan_id].continued = True
            actions = [
                Action("subscribe", {"app": self.app, "event_source": f"channel:{chan_id}"}),
                Action("continue_in_dialplan", {"channel_id": chan_id}),
            ]
            return actions, [self._event(call, ev.RINGING, stamp, "ringing")]
        actions = [Action("ring", {"channel_id": chan_id})]
        events = []
        for extension in ring:
            leg_id = f"{chan_id}-{extension}"
            self._track(call, Leg(leg_id, chan_id, "desk", extension=extension))
            actions.append(
                Action(
                    "originate",
                    {
                        "endpoint": endpoint(policy.desk_endpoint, extension=extension),
                        "app": self.app,
                        "app_args": f"desk,{chan_id},{extension}",
                        "channel_id": leg_id,
                        "caller_id": call.remote,
                    },
                )
            )
            events.append(
                self._event(call, ev.RINGING, stamp, f"ringing:{extension}", extension=extension)
            )
        return actions, events

    def _desk_answered(self, channel, call_id, extension, stamp):
        leg = self.legs.get(channel["id"])
        call = self.calls.get(call_id)
        if not leg or not call or call.ended or call.answered:
            # Answered too late (another desk phone was quicker, or the caller hung up).
            return [Action("hangup", {"channel_id": channel["id"], "reason": "normal"})], []
        leg.up = True
        call.answered = True
        call.extension = extension
        call.bridge_id = call_id + BRIDGE_SUFFIX
        actions = [
            Action("answer", {"channel_id": call_id}),
            Action("create_bridge", {"bridge_id": call.bridge_id}),
            Action(
                "add_channels", {"bridge_id": call.bridge_id, "channels": [call_id, leg.channel_id]}
            ),
        ]
        for other in call.legs.values():
            if other.role == "desk" and other is not leg and not other.gone:
                other.hung_up = True
                actions.append(
                    Action(
                        "hangup", {"channel_id": other.channel_id, "reason": "answered_elsewhere"}
                    )
                )
        actions += self._record_actions(call)
        return actions, [self._event(call, ev.ANSWERED, stamp, "answered", extension=extension)]

    def _click_to_call_desk_up(self, channel, args, stamp):
        chan_id = channel["id"]
        extension = args[1] if len(args) > 1 else ""
        number = args[2] if len(args) > 2 else ""
        call = self.calls.get(chan_id) or self._outbound_call(chan_id, extension, number)
        call.extension, call.remote = extension, number
        leg = call.legs[chan_id]
        leg.up = True
        policy = self.policy()
        if policy.mode == OBSERVE:
            # The dialplan dials the patient from the desk phone's channel.
            call.observed = True
            leg.continued = True
            return [
                Action("subscribe", {"app": self.app, "event_source": f"channel:{chan_id}"}),
                Action(
                    "continue_in_dialplan",
                    {
                        "channel_id": chan_id,
                        "context": policy.outbound_context,
                        "extension": number.lstrip("+"),
                        "priority": 1,
                    },
                ),
            ], []
        call.bridge_id = chan_id + BRIDGE_SUFFIX
        patient_id = f"{chan_id}-patient"
        self._track(call, Leg(patient_id, chan_id, "patient"))
        return [
            Action("create_bridge", {"bridge_id": call.bridge_id}),
            Action("add_channels", {"bridge_id": call.bridge_id, "channels": [chan_id]}),
            Action(
                "originate",
                {
                    "endpoint": endpoint(policy.outbound_endpoint, number=number),
                    "app": self.app,
                    "app_args": f"patient,{chan_id}",
                    "channel_id": patient_id,
                },
            ),
        ], []

    def _patient_answered(self, channel, call_id, stamp):
        leg = self.legs.get(channel["id"])
        call = self.calls.get(call_id)
        if not leg or not call or call.ended:
            return [Action("hangup", {"channel_id": channel["id"], "reason": "normal"})], []
        leg.up = True
        call.answered = True
        actions = [
            Action("add_channels", {"bridge_id": call.bridge_id, "channels": [leg.channel_id]})
        ]
        actions += self._record_actions(call)
        return actions, [self._event(call, ev.ANSWERED, stamp, "answered")]

    def _on_stasis_end(self, message, stamp):
        leg = self.legs.get((message.get("channel") or {}).get("id"))
        if not leg or leg.continued:
            return [], []  # we handed it to the dialplan ourselves: keep watching
        return self._on_gone(message, stamp)

    def _on_state_change(self, message, stamp):
        channel = message.get("channel") or {}
        call = self.calls.get(channel.get("id"))
        # Only an observed inbound caller going "Up" means "answered" (by the dialplan).
        if call and call.observed and call.direction == "inbound" and channel.get("state") == "Up":
            if not call.answered:
                call.answered = True
                return [], [self._event(call, ev.ANSWERED, stamp, "answered")]
        return [], []

    def _on_dial(self, message, stamp):
        caller = message.get("caller") or {}
        call = self.calls.get(caller.get("id"))
        if not call or not call.observed:
            return [], []
        status = message.get("dialstatus") or ""
        if status == "ANSWER" and not call.answered:
            call.answered = True
            if call.direction == "inbound":
                match = re.match(r"^[^/]+/([^-@/]+)", (message.get("peer") or {}).get("name", ""))
                call.extension = match.group(1) if match else call.extension
            return [], [self._event(call, ev.ANSWERED, stamp, "answered")]
        if status in FAILED_DIAL and call.direction == "outbound" and not call.answered:
            return [], [self._event(call, ev.FAILED, stamp, "end")]
        return [], []

    def _on_gone(self, message, stamp):
        leg = self.legs.get((message.get("channel") or {}).get("id"))
        if not leg:
            chan_id = (message.get("channel") or {}).get("id") or ""
            if not chan_id.startswith(CLICK_TO_CALL_PREFIX) or chan_id in self.finished:
                return [], []
            # The desk phone of a click-to-call was never picked up (it never entered
            # the application, so we learn of it only now).
            leg = self._outbound_call(chan_id, "", "").legs[chan_id]
        if leg.gone:
            return [], []
        leg.gone = True
        if message.get("type") == "ChannelDestroyed":
            self.legs.pop(leg.channel_id, None)
        call = self.calls[leg.call_id]
        if call.ended:
            self._forget(call)
            return [], []
        primary = leg.channel_id == call.call_id
        if leg.role == "desk" and not leg.up:
            # One desk phone stopped ringing (busy, no answer, answered elsewhere).
            waiting = [
                other for other in call.legs.values() if other.role == "desk" and not other.gone
            ]
            if call.answered or waiting:
                return [], []
            # Nobody took the call: the dialplan decides (voicemail, queue...).
            caller = call.legs[call.call_id]
            caller.continued = True
            return self._end(
                call,
                stamp,
                ev.ENDED,
                [Action("continue_in_dialplan", {"channel_id": call.call_id})],
            )
        kind = ev.ENDED
        if leg.role == "patient" and not leg.up and message.get("cause") in FAILED_CAUSES:
            kind = ev.FAILED
        if primary and leg.role == "outbound" and not leg.up:
            kind = ev.ENDED  # the operator never picked up the desk phone
        return self._end(call, stamp, kind, self._hangup_others(call, leg))

    def _on_recording(self, message, stamp):
        name = (message.get("recording") or {}).get("name") or ""
        # The recording ends with the bridge, usually after the call was forgotten.
        call = self.recordings.pop(name, None)
        if not call or not self.recording_base:
            return [], []
        event = self._event(call, ev.RECORDING, stamp, f"recording:{name}")
        event["recording_url"] = (
            f"{self.recording_base}/recordings/stored/{quote(name, safe='')}/file"
        )
        return [], [event]

    # --- helpers ------------------------------------------------------------------

    def _outbound_call(self, chan_id, extension, number):
        call = Call(call_id=chan_id, direction="outbound", extension=extension, remote=number)
        self._track(call, Leg(chan_id, chan_id, "outbound"))
        return call

    def _track(self, call, leg):
        self.calls.setdefault(call.call_id, call)
        call = self.calls[call.call_id]
        call.legs[leg.channel_id] = leg
        self.legs[leg.channel_id] = leg

    def _forget(self, call):
        # A leg handed to the dialplan is not ours any more once the call ended.
        if all(leg.gone or leg.continued for leg in call.legs.values()):
            self.calls.pop(call.call_id, None)
            for leg in call.legs.values():
                self.legs.pop(leg.channel_id, None)
                self.finished[leg.channel_id] = True
            while len(self.finished) > MEMORY:
                self.finished.popitem(last=False)

    def _hangup_others(self, call, gone_leg):
        others = [
            leg
            for leg in call.legs.values()
            if leg is not gone_leg and not (leg.gone or leg.continued or leg.hung_up)
        ]
        actions = []
        for leg in others:
            leg.hung_up = True
            actions.append(Action("hangup", {"channel_id": leg.channel_id, "reason": "normal"}))
        if call.bridge_id:
            actions.append(Action("destroy_bridge", {"bridge_id": call.bridge_id}))
        return actions

    def _end(self, call, stamp, kind, actions):
        call.ended = True
        event = self._event(call, kind, stamp, "end")
        self._forget(call)
        return actions, [event]

    def _record_actions(self, call):
        if not self.policy().record:
            return []
        name = f"{call.call_id}-recording"
        self.recordings[name] = call
        return [
            Action("record_bridge", {"bridge_id": call.bridge_id, "name": name, "format": "wav"})
        ]

    def _event(self, call, kind, stamp, suffix, extension=None):
        extension = call.extension if extension is None else extension
        inbound = call.direction == "inbound"
        return {
            # Hangup request, Stasis end and destruction are one "ended": one event id.
            "event_id": f"ari:{call.call_id}:{suffix}",
            "type": kind,
            "call_id": call.call_id,
            "direction": call.direction,
            "from": call.remote if inbound else extension,
            "to": extension if inbound else call.remote,
            "extension": extension,
            "timestamp": stamp,
        }


class AriRest:
    """The REST calls we make, with timeouts and typed errors (see the module docstring)."""

    def __init__(self, base_url, username, password, session=None):
        if not base_url:
            raise AriError(commands.UNREACHABLE, "no ARI URL configured")
        self.base_url = base_url.rstrip("/")
        self.auth = (username or "", password or "")
        self.session = session or requests.Session()

    def _request(self, method, path, params=None, stream=False):
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                params=params,
                auth=self.auth,
                timeout=TIMEOUT,
                stream=stream,
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise AriError(commands.NO_ANSWER, f"ARI {method} {path}: {exc}") from exc
        except requests.RequestException as exc:
            raise AriError(commands.UNREACHABLE, f"ARI {method} {path}: {exc}") from exc
        if not 200 <= response.status_code < 300:
            try:
                message = response.json().get("message", "")
            except ValueError:
                message = ""
            raise AriError(commands.REFUSED, f"{response.status_code} {message}".strip())
        if stream:
            return response
        return response.json() if response.content else None

    @staticmethod
    def _path(*parts):
        return "".join(f"/{quote(str(part), safe='')}" for part in parts)

    def list_channels(self):
        return self._request("GET", "/channels") or []

    def list_bridges(self):
        return self._request("GET", "/bridges") or []

    def originate(self, endpoint, app, channel_id, app_args, caller_id=None):
        params = {"endpoint": endpoint, "app": app, "appArgs": app_args, "channelId": channel_id}
        if caller_id:
            params["callerId"] = caller_id
        return self._request("POST", "/channels", params)

    def hangup(self, channel_id, reason="normal"):
        return self._request("DELETE", self._path("channels", channel_id), {"reason": reason})

    def answer(self, channel_id):
        return self._request("POST", self._path("channels", channel_id, "answer"))

    def ring(self, channel_id):
        return self._request("POST", self._path("channels", channel_id, "ring"))

    def continue_in_dialplan(self, channel_id, context=None, extension=None, priority=None):
        params = {"context": context, "extension": extension, "priority": priority}
        params = {key: value for key, value in params.items() if value is not None}
        return self._request("POST", self._path("channels", channel_id, "continue"), params)

    def create_bridge(self, bridge_id):
        return self._request("POST", "/bridges", {"type": "mixing", "bridgeId": bridge_id})

    def add_channels(self, bridge_id, channels):
        return self._request(
            "POST",
            self._path("bridges", bridge_id, "addChannel"),
            {"channel": ",".join(channels)},
        )

    def destroy_bridge(self, bridge_id):
        return self._request("DELETE", self._path("bridges", bridge_id))

    def record_bridge(self, bridge_id, name, format):  # noqa: A002 - ARI's parameter name
        return self._request(
            "POST",
            self._path("bridges", bridge_id, "record"),
            {"name": name, "format": format, "ifExists": "overwrite"},
        )

    def subscribe(self, app, event_source):
        return self._request(
            "POST", self._path("applications", app, "subscription"), {"eventSource": event_source}
        )

    def run(self, action):
        return getattr(self, action.name)(**action.kwargs)

    def events_url(self, app):
        scheme, netloc, path, _query, _frag = urlsplit(self.base_url)
        ws_scheme = "wss" if scheme == "https" else "ws"
        query = urlencode({"app": app, "api_key": ":".join(self.auth)})
        return urlunsplit((ws_scheme, netloc, path + "/events", query, ""))


class AriConnector:
    """Long-running websocket client running the Stasis application (T13, R4).

    ``sink`` has ``policy()`` (a :class:`Policy` for a new call),
    ``events(list_of_event_dicts)`` and ``reconcile({call id: answered})``;
    the Odoo command implements them with one transaction each, tests with a
    queue. REST actions run before the events reach the sink: bridging a
    caller must not wait for the database.
    """

    def __init__(self, rest, app, sink, min_backoff=1.0, max_backoff=30.0):
        self.rest = rest
        self.app = app
        self.sink = sink
        self.control = CallControl(app, sink.policy, recording_base=rest.base_url)
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.stopping = threading.Event()
        self.connections = 0

    def stop(self):
        self.stopping.set()

    def run(self):
        backoff = self.min_backoff
        while not self.stopping.is_set():
            try:
                self._session()
                backoff = self.min_backoff
            except (OSError, websocket.WebSocketException, AriError) as exc:
                _logger.warning("ARI connection lost (%s); retrying in %.1f s", exc, backoff)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, self.max_backoff)

    def _session(self):
        ws = websocket.create_connection(self.rest.events_url(self.app), timeout=TIMEOUT)
        self.connections += 1
        try:
            # Calls that ended or were answered while we were away must not ring forever.
            actions, events, live = self.control.reconcile(
                self.rest.list_channels(), self.rest.list_bridges()
            )
            self._apply(actions, events)
            self.sink.reconcile(live)
            while not self.stopping.is_set():
                try:
                    raw = ws.recv()
                except websocket.WebSocketTimeoutException:
                    ws.ping()
                    continue
                if not raw:
                    raise websocket.WebSocketConnectionClosedException("connection closed")
                self._handle(raw)
        finally:
            ws.close()

    def _handle(self, raw):
        try:
            message = json.loads(raw)
        except ValueError:
            _logger.warning("ignoring a non-JSON ARI message")
            return
        if not isinstance(message, dict):
            return
        self._apply(*self.control.handle(message))

    def _apply(self, actions, events):
        pending = list(actions)
        while pending:
            action = pending.pop(0)
            try:
                self.rest.run(action)
            except AriError as exc:
                if exc.kind != commands.REFUSED:
                    raise  # Asterisk is unreachable: reconnect, then reconcile
                more_actions, more_events = self.control.action_failed(action, exc)
                pending += more_actions
                events = list(events) + more_events
        if events:
            self.sink.events(events)
