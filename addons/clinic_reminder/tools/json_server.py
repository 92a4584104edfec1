"""The small HTTP server under the local emulators (tests, demos, benchmarks)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JsonServer:
    """Answers every POST with ``handle(path, authorization, body bytes)`` ->
    ``(status, json answer)`` on 127.0.0.1; ``url`` once started."""

    def __init__(self, handle):
        self.handle = handle
        self._server = None

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port=0):
        handle = self.handle

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
                status, answer = handle(self.path, self.headers.get("Authorization", ""), body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()


class JsonEmulator:
    """Base of the emulators: serves their ``handle`` once ``start()`` ed."""

    _server = None

    def handle(self, path, authorization, body):
        raise NotImplementedError

    @property
    def url(self):
        return self._server.url

    def start(self, port=0):
        self._server = JsonServer(self.handle).start(port)
        return self

    def stop(self):
        if self._server:
            self._server.stop()
