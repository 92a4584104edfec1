"""P5: "notify all" reaches 300 patient pages connected to the bus.

    python3 bench/bench_waiting_room.py [--db clinic_bench_p5] [--patients 300]

Installs clinic_waiting_room into the database (no demo data) if needed, creates a
waiting room with N patients (each with their visit, guest and Discuss channel) and an
operator, then starts Odoo on free loopback ports: ``--workers 2`` (default, as a clinic
runs it) uses the prefork server and its gevent websocket process; ``--workers 0`` the
threaded server, which serves the same websocket endpoint and bus dispatcher in-process.

N websocket clients (websocket-client) connect with their patient's guest cookie, exactly
as the patient page does, and subscribe. The operator then calls
``clinic.waiting.room.action_notify_all`` over JSON-RPC; the script prints the RPC time
and the time from the click until each page received the message (last delivery is the
P5 figure, target <= 2 s). The room is archived afterwards so later runs do not see it.
"""

import argparse
import json
import resource
import secrets
import selectors
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import requests
import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import CONF, ROOT, ensure_database, environment  # noqa: E402

WEBSOCKET_VERSION = "18.0-5"
NOTIFICATION = "clinic_waiting_room/update"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(dbname, count):
    """Room, patients with their visits, and an operator; committed."""
    with environment(dbname) as env:
        env = env(context={"tracking_disable": True, "mail_notrack": True})
        tag = secrets.token_hex(3)
        room = env["clinic.waiting.room"].create({"name": f"Bench room {tag}"})
        password = secrets.token_urlsafe(12)
        operator = env["res.users"].create(
            {
                "name": f"Bench operator {tag}",
                "login": f"bench_operator_{tag}",
                "password": password,
                "groups_id": [(6, 0, [env.ref("clinic_base.group_clinic_operator").id])],
            }
        )
        patients = env["res.partner"].create(
            [{"name": f"Bench patient {tag} {i}", "is_patient": True} for i in range(count)]
        )
        entries = env["clinic.waiting.entry"].create(
            [{"patient_id": p.id, "room_id": room.id} for p in patients]
        )
        cookies = [e.guest_id._format_auth_cookie() for e in entries]
        env.cr.commit()
        return room.id, operator.login, password, cookies


def archive_room(dbname, room_id):
    """Expire the bench visits and archive their room (plain SQL: the ORM is set up once)."""
    conn = psycopg2.connect(dbname=dbname)
    try:
        with conn, conn.cursor() as cr:
            cr.execute(
                "UPDATE clinic_waiting_entry SET expires_at = '2000-01-01' WHERE room_id = %s",
                [room_id],
            )
            cr.execute("UPDATE clinic_waiting_room SET active = FALSE WHERE id = %s", [room_id])
    finally:
        conn.close()


def start_server(dbname, http_port, gevent_port, workers):
    # the odoo launcher, not ``python -m odoo``: prefork re-executes sys.argv for the
    # gevent (websocket) process
    cmd = [
        shutil.which("odoo"), "-c", str(CONF), "-d", dbname,
        f"--db-filter=^{dbname}$", f"--workers={workers}", "--max-cron-threads=0",
        f"--http-port={http_port}", f"--gevent-port={gevent_port}", "--log-level=warn",
        "--log-handler=longpolling:WARNING",
    ]  # fmt: skip
    # small thread stacks: the threaded server runs one thread per websocket
    server = subprocess.Popen(
        cmd, cwd=ROOT, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_STACK, (1 << 20,) * 2)
    )
    deadline = time.monotonic() + 120
    # with workers, the gevent (websocket) process starts on its own
    pending = [http_port, gevent_port] if workers else [http_port]
    while pending and time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{pending[0]}/web/health", timeout=2).ok:
                pending.pop(0)
                continue
        except requests.RequestException:
            pass
        time.sleep(0.5)
    if pending:
        server.terminate()
        raise RuntimeError("Odoo did not start")
    return server


class PatientPage:
    """One patient's page: a websocket with the guest cookie, waiting for the message."""

    def __init__(self, url, cookie):
        self.received_at = None
        self.ws = websocket.create_connection(
            url, cookie=f"dgid={cookie}", origin="http://127.0.0.1", timeout=30
        )
        self.ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))

    def fileno(self):
        return self.ws.sock.fileno()

    def read(self, body):
        """Handle one frame; True once the clinic's message arrived."""
        for notification in json.loads(self.ws.recv() or "[]"):
            message = notification["message"]
            text = ((message.get("payload") or {}).get("message") or {}).get("text", "")
            if message["type"] == NOTIFICATION and body in text:
                self.received_at = time.perf_counter()
        return self.received_at is not None


def wait_for_deliveries(pages, body, timeout):
    """One thread watches every socket (the sandbox limits threads, not sockets)."""
    waiting = {page.fileno(): page for page in pages}
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        for page in pages:
            selector.register(page, selectors.EVENT_READ)
        while waiting and time.monotonic() < deadline:
            for key, __ in selector.select(timeout=0.5):
                page = key.fileobj
                if page.read(body):
                    selector.unregister(page)
                    del waiting[page.fileno()]


class ThreadResult(threading.Thread):
    """Run ``func`` aside (the operator's click) while the pages are being watched."""

    def __init__(self, func, *args):
        super().__init__(daemon=True)
        self._call = (func, args)
        self._result = self._error = None
        self.start()

    def run(self):
        func, args = self._call
        try:
            self._result = func(*args)
        except Exception as exc:  # noqa: BLE001 - re-raised in the main thread
            self._error = exc

    def result(self):
        self.join()
        if self._error:
            raise self._error
        return self._result


def notify_all(dbname, http_port, login, password, room_id, body):
    base = f"http://127.0.0.1:{http_port}"
    session = requests.Session()
    session.post(
        f"{base}/web/session/authenticate",
        json={"params": {"db": dbname, "login": login, "password": password}},
        timeout=30,
    ).raise_for_status()
    payload = {
        "params": {
            "model": "clinic.waiting.room",
            "method": "action_notify_all",
            "args": [[room_id], body],
            "kwargs": {},
        }
    }
    start = time.perf_counter()
    response = session.post(
        f"{base}/web/dataset/call_kw/clinic.waiting.room/action_notify_all",
        json=payload,
        timeout=120,
    )
    rpc_done = time.perf_counter()
    result = response.json()
    if "error" in result:
        raise RuntimeError(result["error"])
    return start, rpc_done, result["result"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="clinic_bench_p5")
    parser.add_argument("--patients", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    ensure_database(args.db, ["clinic_waiting_room"])
    room_id, login, password, cookies = prepare(args.db, args.patients)
    http_port, gevent_port = free_port(), free_port()
    server = start_server(args.db, http_port, gevent_port, args.workers)
    ws_port = gevent_port if args.workers else http_port
    pages = []
    try:
        url = f"ws://127.0.0.1:{ws_port}/websocket?version={WEBSOCKET_VERSION}"
        body = f"Bench notice {secrets.token_hex(4)}"
        for cookie in cookies:
            pages.append(PatientPage(url, cookie))
        time.sleep(2)  # let every subscription settle
        print(f"[P5] {len(pages)} patient pages connected to the bus", flush=True)
        notifier = ThreadResult(notify_all, args.db, http_port, login, password, room_id, body)
        wait_for_deliveries(pages, body, timeout=60)
        start, rpc_done, reached = notifier.result()
        delays = sorted(p.received_at - start for p in pages if p.received_at)
        print(f"[P5] notify all: {reached} visits, RPC {1000 * (rpc_done - start):.0f} ms")
        print(f"[P5] delivered to {len(delays)}/{len(pages)} pages")
        if delays:
            p95 = delays[min(len(delays) - 1, round(0.95 * (len(delays) - 1)))]
            print(
                f"[P5] first {delays[0]:.3f} s  median {statistics.median(delays):.3f} s  "
                f"p95 {p95:.3f} s  last delivery {delays[-1]:.3f} s  (target <= 2 s)"
            )
    finally:
        for page in pages:
            page.ws.close()
        server.terminate()
        server.wait(timeout=30)
        archive_room(args.db, room_id)


if __name__ == "__main__":
    main()
