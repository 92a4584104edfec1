"""Asterisk REST Interface (ARI) connector (SPEC T2b, R4).

Three ORM-free parts:

* :class:`AriMapper` turns ARI's documented JSON events (StasisStart,
  ChannelStateChange, Dial, ChannelHangupRequest, ChannelDestroyed) into our
  webhook-shaped event dicts;
* :class:`AriRest` calls ARI's REST API (originate, list channels);
* :class:`AriConnector` keeps a websocket to ``/ari/events`` open, reconnects
  with exponential backoff after a drop and, after every (re)connection, lists
  the live channels so that calls which ended meanwhile are closed.

Dialplan convention: calls enter the Stasis application as
``Stasis(<app>,inbound,<extension>)``; click-to-call channels are originated
with ``appArgs=outbound,<extension>,<number>``.
"""

import json
import logging
import threading
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
import websocket

from . import events as ev

_logger = logging.getLogger(__name__)

TIMEOUT = 5  # seconds for every REST call
FAILED_DIAL = ("CHANUNAVAIL", "CONGESTION")


class AriError(Exception):
    """ARI answered with an error or could not be reached."""


def originate_args(extension, number):
    return f"outbound,{extension},{number}"


class AriMapper:
    """Maps ARI events to webhook-shaped event dicts, remembering channels it saw."""

    def __init__(self):
        self.channels = {}  # channel id -> {direction, extension, from, to}

    def map(self, message):
        """Return the list of our events (dicts) for one ARI event (a dict)."""
        kind = message.get("type")
        channel = message.get("channel") or message.get("caller") or {}
        chan_id = channel.get("id")
        if not chan_id:
            return []
        stamp = message.get("timestamp") or ""
        if kind == "StasisStart":
            self.channels[chan_id] = self._describe(channel, message.get("args") or [])
            return [self._event(chan_id, ev.RINGING, stamp, kind)]
        if chan_id not in self.channels:
            return []  # not a channel of our application
        if kind == "ChannelStateChange":
            state = channel.get("state")
            if state == "Up":
                return [self._event(chan_id, ev.ANSWERED, stamp, kind)]
            if state == "Ringing":
                return [self._event(chan_id, ev.RINGING, stamp, kind)]
            return []
        if kind == "Dial":
            status = message.get("dialstatus") or ""
            if status == "ANSWER":
                return [self._event(chan_id, ev.ANSWERED, stamp, kind)]
            if status in FAILED_DIAL:
                return [self._event(chan_id, ev.FAILED, stamp, kind + status)]
            return []
        if kind in ("ChannelHangupRequest", "ChannelDestroyed"):
            event = self._event(chan_id, ev.ENDED, stamp, "end")
            if kind == "ChannelDestroyed":
                self.channels.pop(chan_id, None)
            return [event]
        return []

    @staticmethod
    def _describe(channel, args):
        direction = args[0] if args and args[0] in ev.DIRECTIONS else "inbound"
        extension = args[1] if len(args) > 1 else (channel.get("dialplan") or {}).get("exten", "")
        caller = (channel.get("caller") or {}).get("number", "")
        if direction == "outbound":
            remote = args[2] if len(args) > 2 else (channel.get("connected") or {}).get("number")
            return {
                "direction": direction,
                "extension": extension,
                "from": extension,
                "to": remote or "",
            }
        return {"direction": direction, "extension": extension, "from": caller, "to": extension}

    def _event(self, chan_id, kind, stamp, suffix):
        info = self.channels[chan_id]
        return {
            # Hangup request and destruction are one "ended": one event id for both.
            "event_id": f"ari:{chan_id}:{suffix}",
            "type": kind,
            "call_id": chan_id,
            "direction": info["direction"],
            "from": info["from"],
            "to": info["to"],
            "extension": info["extension"],
            "timestamp": stamp,
        }


class AriRest:
    """The few REST calls we need, with timeouts and typed errors."""

    def __init__(self, base_url, username, password, session=None):
        if not base_url:
            raise AriError("no ARI URL configured")
        self.base_url = base_url.rstrip("/")
        self.auth = (username or "", password or "")
        self.session = session or requests.Session()

    def _request(self, method, path, **params):
        try:
            response = self.session.request(
                method, self.base_url + path, params=params, auth=self.auth, timeout=TIMEOUT
            )
            response.raise_for_status()
        except requests.RequestException as exc:
            raise AriError(f"ARI {method} {path} failed: {exc}") from exc
        return response.json() if response.content else None

    def originate(self, endpoint, app, channel_id, app_args):
        return self._request(
            "POST", "/channels", endpoint=endpoint, app=app, channelId=channel_id, appArgs=app_args
        )

    def live_channels(self):
        """Current channels as ``{channel id: answered}``."""
        channels = self._request("GET", "/channels") or []
        return {channel["id"]: channel.get("state") == "Up" for channel in channels}

    def events_url(self, app):
        scheme, netloc, path, _query, _frag = urlsplit(self.base_url)
        ws_scheme = "wss" if scheme == "https" else "ws"
        query = urlencode({"app": app, "api_key": ":".join(self.auth)})
        return urlunsplit((ws_scheme, netloc, path + "/events", query, ""))


class AriConnector:
    """Long-running websocket client feeding a sink (R4).

    ``sink`` has ``events(list_of_event_dicts)`` and ``reconcile({channel id: answered})``;
    the Odoo command implements them with one transaction each, tests with a queue.
    """

    def __init__(self, rest, app, sink, min_backoff=1.0, max_backoff=30.0):
        self.rest = rest
        self.app = app
        self.sink = sink
        self.mapper = AriMapper()
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
            self.sink.reconcile(self.rest.live_channels())
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
        mapped = self.mapper.map(message)
        if mapped:
            self.sink.events(mapped)
