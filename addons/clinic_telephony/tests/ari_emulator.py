"""A local Asterisk for the ARI tests (T13, R4), on 127.0.0.1.

It follows Asterisk's published ARI documentation (``rest-api/api-docs/*.json``
of Asterisk's source; error texts from ``res/ari/resource_*.c``) for the
operations the connector uses, and behaves like Asterisk where it matters:

* a channel in the Stasis application does nothing until the application
  acts: an inbound call rings nobody, an answered click-to-call desk phone
  calls nobody;
* requests the documented REST API refuses are refused the same way: unknown
  path 404 "Resource not found", wrong method 405, missing required parameter
  400, unknown channel 404, channel not in Stasis 409 (422 for a bridge),
  answering a channel in state Down/Ringing 412, an existing id 409;
  documented operations it does not model answer 501 so a test cannot pass by
  accident, and query parameters the documentation does not list (ignored by
  Asterisk) are recorded in :attr:`AriEmulator.undocumented`;
* events go to the application's websocket only for channels it is subscribed
  to (in Stasis, originated for it, or subscribed explicitly), and are lost
  while no websocket is connected, as they are on a real Asterisk.

Tests play the people: :meth:`incoming` (a caller dials in), :meth:`pick_up`,
:meth:`hang_up`, :meth:`dialplan_dial`; :meth:`drop` cuts the websocket.
"""

import base64
import hashlib
import itertools
import json
import queue
import re
import struct
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
PREFIX = "/ari"
# (method, path, nickname, required query parameters, other documented ones); the
# operations of channels.json, bridges.json, applications.json, recordings.json
# and events.json the connector uses.
OPERATIONS = [
    ("GET", "/channels", "list", (), ()),
    (
        "POST",
        "/channels",
        "originate",
        ("endpoint",),
        (
            "extension",
            "context",
            "priority",
            "label",
            "app",
            "appArgs",
            "callerId",
            "timeout",
            "channelId",
            "otherChannelId",
            "originator",
            "formats",
        ),
    ),
    ("GET", "/channels/{channelId}", "get", (), ()),
    ("DELETE", "/channels/{channelId}", "hangup", (), ("reason_code", "reason")),
    ("POST", "/channels/{channelId}/answer", "answer", (), ()),
    ("POST", "/channels/{channelId}/ring", "ring", (), ()),
    ("DELETE", "/channels/{channelId}/ring", "ringStop", (), ()),
    (
        "POST",
        "/channels/{channelId}/continue",
        "continueInDialplan",
        (),
        ("context", "extension", "priority", "label"),
    ),
    ("POST", "/channels/{channelId}/hold", "hold", (), ()),
    ("GET", "/bridges", "listBridges", (), ()),
    ("POST", "/bridges", "createBridge", (), ("type", "bridgeId", "name")),
    ("GET", "/bridges/{bridgeId}", "getBridge", (), ()),
    ("DELETE", "/bridges/{bridgeId}", "destroy", (), ()),
    (
        "POST",
        "/bridges/{bridgeId}/addChannel",
        "addChannel",
        ("channel",),
        ("role", "absorbDTMF", "mute", "inhibitConnectedLineUpdates"),
    ),
    ("POST", "/bridges/{bridgeId}/removeChannel", "removeChannel", ("channel",), ()),
    (
        "POST",
        "/bridges/{bridgeId}/record",
        "record",
        ("name", "format"),
        (
            "recorder_format",
            "maxDurationSeconds",
            "maxSilenceSeconds",
            "ifExists",
            "beep",
            "terminateOn",
        ),
    ),
    ("POST", "/applications/{applicationName}/subscription", "subscribe", ("eventSource",), ()),
    ("GET", "/recordings/stored/{recordingName}/file", "getStoredFile", (), ()),
    ("GET", "/events", "eventWebsocket", ("app",), ("subscribeAll",)),
]
INVALID_FOR_ACTIONS = ("Down", "Rsrved", "Ringing")  # resource_channels.c channel_state_invalid
FORMATS = {"wav": "audio/wav", "gsm": "audio/x-gsm", "ulaw": "audio/basic"}
CAUSES = {"normal": 16, "busy": 17, "no_answer": 19, "answered_elsewhere": 26}
CAUSE_TEXT = {
    16: "Normal Clearing",
    17: "User busy",
    19: "No user responding",
    20: "Subscriber absent",
    26: "Answered elsewhere",
    34: "Circuit/channel congestion",
}


def ws_frame(text):
    """One unmasked text frame (server to client, RFC 6455)."""
    data = text.encode()
    if len(data) < 126:
        header = struct.pack("!BB", 0x81, len(data))
    elif len(data) < 65536:
        header = struct.pack("!BBH", 0x81, 126, len(data))
    else:
        header = struct.pack("!BBQ", 0x81, 127, len(data))
    return header + data


def _compile(path):
    pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path)
    return re.compile(f"^{pattern}$")


ROUTES = [(m, _compile(p), nick, req, opt) for m, p, nick, req, opt in OPERATIONS]


class AriRefusal(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class AriEmulator:
    def __init__(self, username="asterisk", password="secret", app="clinic"):
        self.credentials = (username, password)
        self.app = app
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.channels = {}  # id -> dict (the documented Channel model + private "_" keys)
        self.bridges = {}  # id -> dict (the documented Bridge model)
        self.live_recordings = {}  # name -> {"bridge": id, "format": ...}
        self.stored = {}  # name -> (bytes, content type)
        self.requests = []  # (method, path, params) in order
        self.undocumented = []  # (nickname, parameter) Asterisk would ignore
        self.unreachable = set()  # endpoints whose dialling fails
        self.connections = 0
        self.connected = False
        self.outbox = queue.Queue()
        self.drop_event = threading.Event()
        self._ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.emulator = self
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}{PREFIX}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.drop()
        self.server.shutdown()
        self.server.server_close()

    def drop(self):
        """Cut the websocket like a network failure; events meanwhile are lost."""
        self.drop_event.set()

    # --- what the people on the phones do (test side) ---------------------------

    def incoming(self, caller, exten="100", args=()):
        """A caller dials in; the dialplan runs ``Stasis(app[,args])``. Returns the id."""
        with self.lock:
            chan_id = f"{int(time.time())}.{next(self._ids)}"
            data = ",".join([self.app, *args])
            channel = self._new_channel(chan_id, "PJSIP/trunk", "Ring", caller, exten)
            channel["dialplan"].update(app_name="Stasis", app_data=data)
            self._enter_stasis(channel, list(args))
            return chan_id

    def pick_up(self, chan_id):
        """The phone of a ringing channel we originated is answered."""
        with self.lock:
            channel = self.channels[chan_id]
            assert channel["state"] == "Ringing", channel["state"]
            self._set_state(channel, "Up")
            if channel["_origin_app"]:
                self._enter_stasis(channel, channel["_origin_args"])

    def hang_up(self, chan_id, cause=16):
        """The person on ``chan_id`` hangs up (or a ringing phone gives up: 17, 19...)."""
        with self.lock:
            channel = self.channels[chan_id]
            self._emit(channel, "ChannelHangupRequest", cause=cause, channel=self._public(channel))
            self._destroy(channel, cause)

    def dialplan_dial(self, caller_id, peer_exten, status="ANSWER"):
        """The dialplan of a channel handed back with ``continue`` dials a desk phone."""
        with self.lock:
            caller = self.channels[caller_id]
            peer = self._new_channel(
                f"{caller_id}-peer{next(self._ids)}", f"PJSIP/{peer_exten}", "Up", "", peer_exten
            )
            self._emit(
                caller,
                "Dial",
                caller=self._public(caller),
                peer=self._public(peer),
                dialstatus=status,
                dialstring=peer_exten,
            )
            if status == "ANSWER":
                self._set_state(caller, "Up")
            return peer["id"]

    def wait_for(self, predicate, timeout=10):
        """Wait until ``predicate(self)`` holds (the connector acts in its own thread)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("the ARI emulator did not reach the expected state")
                self.changed.wait(remaining)

    def operations(self):
        """Nicknames of the requests received, in order."""
        return [nickname for _method, nickname, _params in self.requests]

    def bridge_of(self, chan_id):
        return next((b for b in self.bridges.values() if chan_id in b["channels"]), None)

    # --- model ---------------------------------------------------------------------

    @staticmethod
    def _stamp():
        return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"

    def _new_channel(self, chan_id, name, state, caller, exten):
        channel = {
            "id": chan_id,
            "protocol_id": "",
            "name": f"{name}-{next(self._ids):08x}",
            "state": state,
            "caller": {"name": "", "number": caller or ""},
            "connected": {"name": "", "number": ""},
            "accountcode": "",
            "dialplan": {
                "context": "default",
                "exten": exten or "",
                "priority": 1,
                "app_name": "",
                "app_data": "",
            },
            "creationtime": self._stamp(),
            "language": "en",
            "_stasis": False,
            "_subscribed": False,  # implicitly: originated for the app or in Stasis
            "_explicit": False,  # POST /applications/{app}/subscription
            "_origin_app": None,
            "_origin_args": [],
        }
        self.channels[chan_id] = channel
        self.changed.notify_all()
        return channel

    @staticmethod
    def _public(channel):
        return {key: value for key, value in channel.items() if not key.startswith("_")}

    def _emit(self, channel_or_bridge, kind, **fields):
        listening = channel_or_bridge.get("_subscribed") or channel_or_bridge.get("_explicit")
        if listening and self.connected:
            event = {"type": kind, "application": self.app, "timestamp": self._stamp(), **fields}
            self.outbox.put(json.dumps(event))
        self.changed.notify_all()

    def _set_state(self, channel, state):
        channel["state"] = state
        self._emit(channel, "ChannelStateChange", channel=self._public(channel))

    def _enter_stasis(self, channel, args):
        channel["_stasis"] = True
        channel["_subscribed"] = True
        self._emit(channel, "StasisStart", args=list(args), channel=self._public(channel))

    def _leave_stasis(self, channel):
        if channel["_stasis"]:
            channel["_stasis"] = False
            self._emit(channel, "StasisEnd", channel=self._public(channel))
            channel["_subscribed"] = False

    def _destroy(self, channel, cause):
        bridge = self.bridge_of(channel["id"])
        if bridge:
            bridge["channels"].remove(channel["id"])
            self._emit(
                channel, "ChannelLeftBridge", bridge=dict(bridge), channel=self._public(channel)
            )
        self._leave_stasis(channel)
        channel["_subscribed"] = channel["_subscribed"] or channel["_origin_app"] is not None
        self._emit(
            channel,
            "ChannelDestroyed",
            cause=cause,
            cause_txt=CAUSE_TEXT.get(cause, "Unknown"),
            channel=self._public(channel),
        )
        del self.channels[channel["id"]]
        self.changed.notify_all()

    def _channel(self, chan_id, in_stasis=True):
        channel = self.channels.get(chan_id)
        if not channel:
            raise AriRefusal(404, "Channel not found")
        if in_stasis and not channel["_stasis"]:
            raise AriRefusal(409, "Channel not in Stasis application")
        return channel

    def _actionable(self, chan_id):
        channel = self._channel(chan_id)
        if channel["state"] in INVALID_FOR_ACTIONS:
            raise AriRefusal(412, "Channel in invalid state")
        return channel

    def _bridge(self, bridge_id):
        bridge = self.bridges.get(bridge_id)
        if not bridge:
            raise AriRefusal(404, "Bridge not found")
        return bridge

    # --- REST operations (documented nickname -> behaviour) -------------------------

    def op_list(self, params, path):
        return 200, [self._public(c) for c in self.channels.values()]

    def op_get(self, params, path):
        return 200, self._public(self._channel(path["channelId"], in_stasis=False))

    def op_originate(self, params, path):
        endpoint = params["endpoint"]
        tech, _sep, resource = endpoint.partition("/")
        if not tech or not resource:
            raise AriRefusal(400, "Invalid endpoint specified")
        if not params.get("app") and not params.get("extension"):
            raise AriRefusal(400, "Application or extension must be specified")
        chan_id = params.get("channelId") or f"{int(time.time())}.{next(self._ids)}"
        if chan_id in self.channels:
            raise AriRefusal(409, "Channel with given unique ID already exists")
        channel = self._new_channel(chan_id, endpoint, "Down", params.get("callerId"), "")
        if params.get("app"):
            channel["_origin_app"] = params["app"]
            channel["_origin_args"] = params.get("appArgs", "").split(",")
            channel["_subscribed"] = params["app"] == self.app
        answer = dict(self._public(channel))
        if endpoint in self.unreachable:
            # Accepted, then the dial fails, as Asterisk does asynchronously.
            self._destroy(channel, 20)
        else:
            self._set_state(channel, "Ringing")
        return 200, answer

    def op_hangup(self, params, path):
        channel = self._channel(path["channelId"], in_stasis=False)
        reason = params.get("reason", "normal")
        if reason not in CAUSES and "reason_code" not in params:
            raise AriRefusal(400, "Invalid reason for hangup provided")
        self._destroy(channel, int(params.get("reason_code") or CAUSES.get(reason, 16)))
        return 204, None

    def op_answer(self, params, path):
        channel = self._actionable(path["channelId"])
        if channel["state"] != "Up":
            self._set_state(channel, "Up")
        return 204, None

    def op_ring(self, params, path):
        self._actionable(path["channelId"])
        return 204, None

    def op_continueInDialplan(self, params, path):
        channel = self._channel(path["channelId"])
        if "extension" in params:
            channel["dialplan"]["exten"] = params["extension"]
        if "context" in params:
            channel["dialplan"]["context"] = params["context"]
        self._leave_stasis(channel)
        return 204, None

    def op_listBridges(self, params, path):
        return 200, [dict(bridge) for bridge in self.bridges.values()]

    def op_createBridge(self, params, path):
        bridge_id = params.get("bridgeId") or f"bridge-{next(self._ids)}"
        if bridge_id in self.bridges:
            raise AriRefusal(409, "Bridge with the same bridgeId already exists")
        self.bridges[bridge_id] = {
            "id": bridge_id,
            "technology": "simple_bridge",
            "bridge_type": params.get("type", "mixing"),
            "bridge_class": "stasis",
            "creator": "Stasis",
            "name": params.get("name", ""),
            "channels": [],
            "creationtime": self._stamp(),
            "video_mode": "none",
        }
        self.changed.notify_all()
        return 200, dict(self.bridges[bridge_id])

    def op_getBridge(self, params, path):
        return 200, dict(self._bridge(path["bridgeId"]))

    def op_destroy(self, params, path):
        bridge = self._bridge(path["bridgeId"])
        for chan_id in list(bridge["channels"]):
            channel = self.channels[chan_id]
            bridge["channels"].remove(chan_id)
            self._emit(
                channel, "ChannelLeftBridge", bridge=dict(bridge), channel=self._public(channel)
            )
        for name, recording in list(self.live_recordings.items()):
            if recording["bridge"] == bridge["id"]:
                del self.live_recordings[name]
                self.stored[name] = (b"RIFF\x24\x00\x00\x00WAVEfmt " + name.encode(), "audio/wav")
                if self.connected:
                    self.outbox.put(
                        json.dumps(
                            {
                                "type": "RecordingFinished",
                                "application": self.app,
                                "timestamp": self._stamp(),
                                "recording": {
                                    "name": name,
                                    "format": recording["format"],
                                    "target_uri": f"bridge:{bridge['id']}",
                                    "state": "done",
                                    "duration": 42,
                                },
                            }
                        )
                    )
        del self.bridges[bridge["id"]]
        self.changed.notify_all()
        return 204, None

    def op_addChannel(self, params, path):
        bridge = self._bridge(path["bridgeId"])
        ids = [chan_id for chan_id in params["channel"].split(",") if chan_id]
        for chan_id in ids:
            channel = self.channels.get(chan_id)
            if not channel:
                raise AriRefusal(400, "Channel not found")
            if not channel["_stasis"]:
                raise AriRefusal(422, "Channel not in Stasis application")
        for chan_id in ids:
            channel = self.channels[chan_id]
            previous = self.bridge_of(chan_id)
            if previous:
                previous["channels"].remove(chan_id)
            bridge["channels"].append(chan_id)
            self._emit(
                channel, "ChannelEnteredBridge", bridge=dict(bridge), channel=self._public(channel)
            )
        return 204, None

    def op_record(self, params, path):
        bridge = self._bridge(path["bridgeId"])
        if params["format"] not in FORMATS:
            raise AriRefusal(422, "specified format is unknown on this system")
        name = params["name"]
        if name in self.live_recordings:
            raise AriRefusal(409, "A recording with the same name is in progress")
        self.live_recordings[name] = {"bridge": bridge["id"], "format": params["format"]}
        return 201, {
            "name": name,
            "format": params["format"],
            "target_uri": f"bridge:{bridge['id']}",
            "state": "queued",
        }

    def op_subscribe(self, params, path):
        if path["applicationName"] != self.app:
            raise AriRefusal(404, "Application does not exist.")
        scheme, _sep, source_id = params["eventSource"].partition(":")
        if scheme != "channel" or source_id not in self.channels:
            raise AriRefusal(422, "Event source does not exist.")
        self.channels[source_id]["_explicit"] = True
        return 200, {"name": self.app, "channel_ids": [source_id]}

    def op_getStoredFile(self, params, path):
        name = path["recordingName"]
        if name not in self.stored:
            raise AriRefusal(404, "Recording not found")
        return 200, self.stored[name]

    # --- HTTP ----------------------------------------------------------------------

    def _route(self, method, path):
        matched_path = False
        for route_method, pattern, nickname, required, optional in ROUTES:
            match = pattern.match(path)
            if not match:
                continue
            matched_path = True
            if route_method == method:
                params = {key: unquote(value) for key, value in match.groupdict().items()}
                return nickname, required, optional, params
        if matched_path:
            raise AriRefusal(405, "Method Not Allowed")
        raise AriRefusal(404, "Resource not found")

    def check_request(self, method, path, query):
        """``(nickname, path parameters)`` of a request, or AriRefusal as Asterisk refuses it."""
        if not path.startswith(PREFIX + "/"):
            raise AriRefusal(404, "Resource not found")
        nickname, required, optional, params = self._route(method, path[len(PREFIX) :])
        for name in required:
            if not query.get(name):
                raise AriRefusal(400, f"Missing parameter {name}")
        with self.lock:
            self.requests.append((method, nickname, dict(query)))
            self.undocumented += [
                (nickname, name) for name in query if name not in required + optional
            ]
        return nickname, params

    def perform(self, nickname, params, query):
        with self.lock:
            handler = getattr(self, f"op_{nickname}", None)
            if not handler:
                raise AriRefusal(501, f"{nickname} is not modelled by the emulator")
            return handler(query, params)


class _Handler(BaseHTTPRequestHandler):
    """HTTP side of :class:`AriEmulator` (``self.server.emulator``)."""

    def log_message(self, *args):
        pass

    def _authorised(self, query):
        api_key = query.get("api_key", "")
        basic = self.headers.get("Authorization", "")
        expected = ":".join(self.server.emulator.credentials)
        token = base64.b64encode(expected.encode()).decode()
        return api_key == expected or basic == f"Basic {token}"

    def _answer(self, status, payload, content_type="application/json"):
        if isinstance(payload, tuple):
            data, content_type = payload
        else:
            data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        if data:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _dispatch(self, method):
        split = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        if not self._authorised(query):
            return self._answer(401, {"message": "Authentication required"})
        query.pop("api_key", None)
        try:
            nickname, params = self.server.emulator.check_request(method, split.path, query)
            if nickname == "eventWebsocket":
                return self._websocket(query)
            status, payload = self.server.emulator.perform(nickname, params, query)
        except AriRefusal as refusal:
            return self._answer(refusal.status, {"message": refusal.message})
        return self._answer(status, payload)

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def do_PUT(self):
        self._dispatch("PUT")

    def _websocket(self, query):
        emulator = self.server.emulator
        if query.get("app") != emulator.app:
            raise AriRefusal(400, "Invalid application provided in param [app].")
        key = self.headers["Sec-WebSocket-Key"]
        accept = base64.b64encode(
            hashlib.sha1((key + WS_GUID).encode()).digest()  # noqa: S324 - RFC 6455
        ).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        with emulator.lock:
            emulator.drop_event.clear()
            emulator.connections += 1
            emulator.connected = True
            emulator.changed.notify_all()
        try:
            while not emulator.drop_event.is_set():
                try:
                    text = emulator.outbox.get(timeout=0.05)
                except queue.Empty:
                    continue
                self.wfile.write(ws_frame(text))
                self.wfile.flush()
        finally:
            with emulator.lock:
                emulator.connected = False
                # Events queued for the dropped connection are lost with it.
                while not emulator.outbox.empty():
                    emulator.outbox.get_nowait()
                emulator.changed.notify_all()
        self.close_connection = True
        self.connection.shutdown(2)
