"""P5: "notify all" reaches 300 patient pages connected to the bus, idle and busy.

    python3 bench/bench_waiting_room.py [--db clinic_bench_p5] [--patients 300]
                                        [--rounds 5] [--rate 100] [--workers 2]

Installs clinic_waiting_room and clinic_telephony into the database (no demo data) if
needed, creates a waiting room with N checked-in patients (each with their visit,
guest and Discuss channel) and an operator, and the P2 bench's PBX. Then starts Odoo
on free loopback ports: ``--workers 2`` (default, as a clinic runs it) uses the
prefork server and its gevent websocket process.

N websocket clients (websocket-client) connect with their patient's guest cookie,
subscribe and report their presence, exactly as the patient page does. The operator
then calls ``clinic.waiting.room.action_notify_all`` over JSON-RPC, ``--rounds`` times:

- idle: nothing else runs on the server;
- busy: the same server ingests signed PBX events at ``--rate`` events/s meanwhile
  (SPEC P2's load, bench_webhook.py's generator, open loop); the rate the server
  actually sustained is printed too (alone for 10 s, then during the rounds).

Each round's figures are the time from the click until each page received the
message; the script prints, for idle and busy, the median over the rounds of the
median delivery and of the last delivery (the P5 figure: target <= 1 s), the worst
last delivery, the RPC's own time and the load average (the machine may be shared).
The room is archived afterwards so later runs do not see it.
"""

import argparse
import json
import os
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
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import requests
import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_webhook  # noqa: E402 - the P2 bench's PBX and event generator
from common import CONF, ROOT, ensure_database, environment  # noqa: E402

WEBSOCKET_VERSION = "18.0-5"
NOTIFICATION = "clinic_waiting_room/update"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(dbname, count):
    """Room, checked-in patients with their visits, an operator and the PBX; committed."""
    with environment(dbname) as env:
        env = env(context={"tracking_disable": True, "mail_notrack": True})
        bench_webhook.prepare(env)
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
        for entry in entries:
            entry._patient_checkin(True, True)
        cookies = [e.guest_id._format_auth_cookie() for e in entries]
        env.cr.commit()
        from odoo.addons.clinic_base.tools.signature import sign

        return room.id, operator.login, password, cookies, sign


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
        "--http-interface=127.0.0.1", f"--http-port={http_port}",
        f"--gevent-port={gevent_port}", "--log-level=warn",
        "--log-handler=longpolling:WARNING",
        # PostgreSQL connections per process as deploy/odoo.conf sets them: the
        # websocket process serves its 300 pages with at most 32
        "--db_maxconn=16", "--db_maxconn_gevent=32",
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
    """One patient's page: a websocket with the guest cookie, waiting for messages."""

    def __init__(self, url, cookie):
        self.received_at = None
        self.body = None
        self.ws = websocket.create_connection(
            url, cookie=f"dgid={cookie}", origin="http://127.0.0.1", timeout=30
        )
        self.ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
        # W11: the page reports its presence, as Odoo's im_status service does
        presence = {"inactivity_period": 0, "im_status_ids_by_model": {}}
        self.ws.send(json.dumps({"event_name": "update_presence", "data": presence}))

    def fileno(self):
        return self.ws.sock.fileno()

    def expect(self, body):
        self.body, self.received_at = body, None

    def read(self):
        """Handle one frame; True once the clinic's message arrived."""
        for notification in json.loads(self.ws.recv() or "[]"):
            message = notification["message"]
            text = ((message.get("payload") or {}).get("message") or {}).get("text", "")
            if message["type"] == NOTIFICATION and self.body in text:
                self.received_at = time.perf_counter()
        return self.received_at is not None


def wait_for_deliveries(pages, timeout):
    """One thread watches every socket (the sandbox limits threads, not sockets)."""
    waiting = {page.fileno(): page for page in pages}
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        for page in pages:
            selector.register(page, selectors.EVENT_READ)
        while waiting and time.monotonic() < deadline:
            for key, __ in selector.select(timeout=0.5):
                page = key.fileobj
                try:
                    done = page.read()
                except websocket.WebSocketException as exc:
                    print(f"[P5] a page lost its connection: {exc!r}", flush=True)
                    done = True
                if done:
                    selector.unregister(page)
                    del waiting[page.fileno()]


def drain(pages, seconds=1.0):
    """Read what the pages received meanwhile (presence updates, earlier rounds)."""
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        for page in pages:
            selector.register(page, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            for key, __ in selector.select(timeout=0.1):
                key.fileobj.ws.recv()


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


class Operator:
    def __init__(self, dbname, http_port, login, password):
        self.base = f"http://127.0.0.1:{http_port}"
        self.session = requests.Session()
        self.session.post(
            f"{self.base}/web/session/authenticate",
            json={"params": {"db": dbname, "login": login, "password": password}},
            timeout=30,
        ).raise_for_status()

    def notify_all(self, room_id, body):
        payload = {
            "params": {
                "model": "clinic.waiting.room",
                "method": "action_notify_all",
                "args": [[room_id], body],
                "kwargs": {},
            }
        }
        start = time.perf_counter()
        response = self.session.post(
            f"{self.base}/web/dataset/call_kw/clinic.waiting.room/action_notify_all",
            json=payload,
            timeout=60,
        )
        rpc_done = time.perf_counter()
        result = response.json()
        if "error" in result:
            raise RuntimeError(result["error"])
        return start, rpc_done, result["result"]


def one_round(operator, room_id, pages):
    body = f"Bench notice {secrets.token_hex(4)}"
    for page in pages:
        page.expect(body)
    click = ThreadResult(operator.notify_all, room_id, body)
    wait_for_deliveries(pages, timeout=60)
    start, rpc_done, reached = click.result()
    delays = sorted(p.received_at - start for p in pages if p.received_at)
    return {
        "reached": reached,
        "delivered": len(delays),
        "rpc": rpc_done - start,
        "median": statistics.median(delays) if delays else float("nan"),
        "last": delays[-1] if delays else float("nan"),
        "load": os.getloadavg()[0],
    }


def measured_round(operator, room_id, pages):
    """One round, or None when the click got no answer (a saturated server)."""
    try:
        return one_round(operator, room_id, pages)
    except requests.RequestException as exc:
        print(f"[P5] the notify RPC got no answer: {exc!r}", flush=True)
        return None


def report(label, rounds, pages):
    failed = rounds.count(None)
    rounds = [r for r in rounds if r]
    if failed:
        print(f"[P5] {label:5} {failed} rounds without an answer to the click")
    if not rounds:
        return
    median = statistics.median(r["median"] for r in rounds)
    last = statistics.median(r["last"] for r in rounds)
    worst = max(r["last"] for r in rounds)
    rpc = statistics.median(r["rpc"] for r in rounds)
    delivered = min(r["delivered"] for r in rounds)
    load = statistics.mean(r["load"] for r in rounds)
    print(
        f"[P5] {label:5} {len(rounds)} rounds, delivered {delivered}/{len(pages)}: "
        f"median {median:.3f} s  last delivery {last:.3f} s (worst {worst:.3f} s, "
        f"target <= 1 s)  RPC {1000 * rpc:.0f} ms  load average {load:.1f}",
        flush=True,
    )
    for index, r in enumerate(rounds, 1):
        print(
            f"         round {index}: median {r['median']:.3f} s  last {r['last']:.3f} s  "
            f"RPC {1000 * r['rpc']:.0f} ms  load {r['load']:.1f}"
        )


class PbxLoad(threading.Thread):
    """SPEC P2's load on the same server: signed PBX events at ``rate`` events/s, open
    loop (each event is due at start + i / rate, as a PBX sends them), from
    bench_webhook.py's generator, until stopped. An error is counted, not fatal."""

    def __init__(self, http_port, rate, sign, threads=32):
        super().__init__(daemon=True)
        self.url = f"http://127.0.0.1:{http_port}/clinic/telephony/bench/events"
        self.rate, self.sign, self.threads = rate, sign, threads
        self.stop = threading.Event()
        self.latencies, self.errors = [], []
        self.began = self.ended = None

    def run(self):
        # a call is 3 events plus a replay every 10th: enough for 10 minutes
        bodies = bench_webhook.build_events(int(self.rate * 600 / 3.3), uuid.uuid4().hex[:8])
        local = threading.local()
        began = self.began = time.perf_counter()

        def send(index):
            due = began + index / self.rate
            time.sleep(max(0.0, due - time.perf_counter()))
            session = getattr(local, "session", None) or requests.Session()
            local.session = session
            raw = json.dumps(bodies[index % len(bodies)]).encode()
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "X-Clinic-Timestamp": stamp,
                "X-Clinic-Signature": self.sign(bench_webhook.SECRET, stamp, raw),
            }
            try:
                session.post(self.url, data=raw, headers=headers, timeout=30).raise_for_status()
                self.latencies.append((time.perf_counter() - due) * 1000.0)
            except requests.RequestException as exc:
                local.session = None
                self.errors.append(exc)

        in_flight = threading.BoundedSemaphore(self.threads)

        def send_and_release(index):
            try:
                send(index)
            finally:
                in_flight.release()

        with ThreadPoolExecutor(max_workers=self.threads) as pool:
            index = 0
            while not self.stop.is_set():
                # at most ``threads`` events in flight, the next one as soon as one is done
                if in_flight.acquire(timeout=0.5):
                    pool.submit(send_and_release, index)
                    index += 1
        self.ended = time.perf_counter()

    def rate_so_far(self):
        answered = len(self.latencies) + len(self.errors)
        return answered / ((self.ended or time.perf_counter()) - self.began)

    def summary(self):
        """Events answered so far, their rate and latency (p95 from their due time)."""
        elapsed = (self.ended or time.perf_counter()) - self.began
        latencies = list(self.latencies)
        sent = len(latencies) + len(self.errors)
        if not latencies:
            return f"no event answered ({len(self.errors)} errors)"
        p95 = sorted(latencies)[int(0.95 * (len(latencies) - 1))]
        return (
            f"{sent} events in {elapsed:.1f} s ({sent / elapsed:.0f}/s), "
            f"p95 {p95:.0f} ms from due time, {len(self.errors)} errors"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="clinic_bench_p5")
    parser.add_argument("--patients", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rate", type=float, default=100.0, help="PBX events/s when busy")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--http-port", type=int, default=0, help="default: a free port")
    parser.add_argument("--gevent-port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    ensure_database(args.db, ["clinic_waiting_room", "clinic_telephony"])
    room_id, login, password, cookies, sign = prepare(args.db, args.patients)
    http_port, gevent_port = args.http_port or free_port(), args.gevent_port or free_port()
    server = start_server(args.db, http_port, gevent_port, args.workers)
    ws_port = gevent_port if args.workers else http_port
    pages = []
    try:
        url = f"ws://127.0.0.1:{ws_port}/websocket?version={WEBSOCKET_VERSION}"
        for cookie in cookies:
            pages.append(PatientPage(url, cookie))
        drain(pages, 3)  # let every subscription and presence settle
        print(f"[P5] {len(pages)} patient pages connected to the bus", flush=True)
        operator = Operator(args.db, http_port, login, password)
        one_round(operator, room_id, pages)  # warm-up: code paths, caches
        idle = [measured_round(operator, room_id, pages) for __ in range(args.rounds)]
        report("idle", idle, pages)

        pbx = PbxLoad(http_port, args.rate, sign)
        pbx.start()
        time.sleep(10)  # the load reaches its steady state
        alone = pbx.summary()
        if pbx.rate_so_far() < 0.9 * args.rate:
            print(
                f"[P5] the server does not keep up with {args.rate:g} PBX events/s on this "
                f"machine now ({alone}): the busy figures measure a saturated server",
                flush=True,
            )
        busy = []
        for __ in range(args.rounds):
            busy.append(measured_round(operator, room_id, pages))
            time.sleep(1)
        pbx.stop.set()
        pbx.join()
        report("busy", busy, pages)
        print(f"[P5] PBX load, first 10 s alone: {alone}")
        print(f"[P5] PBX load, whole run: {pbx.summary()}")
    finally:
        for page in pages:
            page.ws.close()
        server.terminate()
        server.wait(timeout=30)
        archive_room(args.db, room_id)


if __name__ == "__main__":
    main()
