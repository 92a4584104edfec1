"""A tiny stand-in for Asterisk's ARI on 127.0.0.1 (R4 tests).

Speaks the documented JSON of ARI: ``GET /ari/channels`` lists live channels,
``POST /ari/channels`` originates, ``GET /ari/events?app=...`` upgrades to a
websocket that pushes events. :meth:`drop` cuts the websocket like a network
failure would.
"""

import base64
import hashlib
import json
import queue
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def ws_frame(text):
    """One unmasked text frame (server to client)."""
    data = text.encode()
    if len(data) < 126:
        header = struct.pack("!BB", 0x81, len(data))
    elif len(data) < 65536:
        header = struct.pack("!BBH", 0x81, 126, len(data))
    else:
        header = struct.pack("!BBQ", 0x81, 127, len(data))
    return header + data


class AriEmulator:
    def __init__(self, username="asterisk", password="secret"):
        self.credentials = (username, password)
        self.live = {}  # channel id -> channel JSON
        self.originated = []
        self.fail_originate = False
        self.connections = 0
        self.outbox = queue.Queue()
        self.drop_event = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/ari"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.drop()
        self.server.shutdown()
        self.server.server_close()

    def push(self, event):
        self.outbox.put(json.dumps(event))

    def drop(self):
        self.drop_event.set()

    def _handler(self):
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _authorised(self):
                query = parse_qs(urlsplit(self.path).query)
                api_key = query.get("api_key", [""])[0]
                basic = self.headers.get("Authorization", "")
                expected = ":".join(emulator.credentials)
                token = base64.b64encode(expected.encode()).decode()
                return api_key == expected or basic == f"Basic {token}"

            def _json(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path = urlsplit(self.path).path
                if not self._authorised():
                    return self._json(401, {"message": "Authentication required"})
                if path == "/ari/channels":
                    return self._json(200, list(emulator.live.values()))
                if path == "/ari/events":
                    return self._websocket()
                return self._json(404, {"message": "Resource not found"})

            def do_POST(self):
                split = urlsplit(self.path)
                if not self._authorised():
                    return self._json(401, {"message": "Authentication required"})
                if split.path != "/ari/channels":
                    return self._json(404, {"message": "Resource not found"})
                if emulator.fail_originate:
                    return self._json(500, {"message": "Allocation failed"})
                params = {k: v[0] for k, v in parse_qs(split.query).items()}
                emulator.originated.append(params)
                channel = {
                    "id": params.get("channelId"),
                    "state": "Down",
                    "name": params.get("endpoint"),
                }
                return self._json(200, channel)

            def _websocket(self):
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
                emulator.drop_event.clear()
                emulator.connections += 1
                while not emulator.drop_event.is_set():
                    try:
                        text = emulator.outbox.get(timeout=0.05)
                    except queue.Empty:
                        continue
                    self.wfile.write(ws_frame(text))
                    self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)

        return Handler
