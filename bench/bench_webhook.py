"""P2 and P6: webhook ingestion with 2 Odoo workers on loopback.

    python3 bench/bench_webhook.py [--calls 1000] [--threads 32] [--rate 100] [--duration 120]
                                   [--url URL]

Uses the database ``clinic_bench_p2`` (clinic_telephony, no demo data) and a PBX
"bench" with two desk phones. Unless ``--url`` points at a running server, starts
Odoo with ``--workers=2`` on 127.0.0.1 for the run and stops it afterwards.

A pool of threads sends the signed events of ``--calls`` calls (ringing, answered,
ended; every 10th event replayed) through the real webhook. The events of one
call are spread over different threads so that both workers receive the same
call concurrently. By default events are sent at the SPEC's 100 events/s (open loop,
as a PBX sends them: latency counts from each event's due time); ``--rate 0`` lets
every thread send as fast as answers come back (closed loop). Prints events/s,
p50/p95/p99 and checks that every call exists exactly once, ended, with every event
stored once (SPEC P2: >= 100 events/s, p95 <= 50 ms, zero lost or duplicated calls).

P6 then saturates the same server in the same run: ``--clients`` keep-alive clients
send webhook events (ringing, answered, ended of fresh calls) as fast as answers come
back, then call Odoo's own JSON route ``/web/webclient/version_info`` the same way,
alternating ``--rounds`` times (``--phase`` seconds each) so that both rates see the
same machine. Prints both medians and the ratio (SPEC P6: webhook >= 50 %).
Figures only, no assertions on time.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, clinic, ensure_database, environment, fmt, summary  # noqa: E402

DB = "clinic_bench_p2"
SECRET = "bench-secret"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env):
    """The bench PBX, its desk phones and patients, committed for the server to see."""
    env.company.country_id = env.ref("base.de")
    Pbx = env["clinic.pbx"].with_context(active_test=False)
    pbx = Pbx.search([("code", "=", "bench")]) or Pbx.create(
        {"name": "Bench PBX", "code": "bench", "kind": "webhook"}
    )
    pbx.write({"secret": SECRET, "active": True})
    if not pbx.phone_ids:
        env["clinic.telephony.phone"].create(
            [
                {"name": "Bench 1", "extension": "101", "pbx_id": pbx.id},
                {"name": "Bench 2", "extension": "102", "pbx_id": pbx.id},
            ]
        )
    if not env["res.partner"].search_count([("is_patient", "=", True)]):
        env["res.partner"].create(
            [
                {"name": f"Bench patient {i}", "is_patient": True, "phone": f"030 5{i:06d}"}
                for i in range(200)
            ]
        )


def start_server(dbname, port, gevent_port=None):
    gevent_port = gevent_port or free_port()
    # Odoo's launcher: with workers, Odoo re-executes it for its websocket process
    cmd = clinic.odoo_cmd(
        "-d",
        dbname,
        # No db-filter: with db_name alone Odoo skips listing databases on every request.
        "--db-filter=",
        "--workers=2",
        "--max-cron-threads=0",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={gevent_port}",
        "--log-level=warn",
    )
    # Odoo's own output goes to a log file; the bench prints figures only.
    log = tempfile.NamedTemporaryFile("w", prefix="bench_webhook_", suffix=".log", delete=False)
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    # Measure a running clinic: wait for the workers and the websocket process, whose
    # start (a registry load of its own) would otherwise compete with the first events.
    pending = [url, f"http://127.0.0.1:{gevent_port}"]
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{pending[0]}/web/health", timeout=2).ok:
                pending.pop(0)
                if not pending:
                    return server, url
                continue
        except requests.RequestException:
            pass
        if server.poll() is not None:
            sys.exit(f"Odoo did not start; see {log.name}")
        time.sleep(0.5)
    server.terminate()
    sys.exit("Odoo did not answer /web/health within 120 s")


def build_events(calls, run_id):
    """Bodies of ``calls`` calls (ringing, answered, ended), shuffled: a call's events
    arrive out of order and on different threads, hence on both workers."""
    start = datetime.now(timezone.utc).replace(tzinfo=None)
    bodies = []
    for n in range(calls):
        call_id = f"bench-{run_id}-{n}"
        for offset, kind in ((0, "call.ringing"), (5, "call.answered"), (65, "call.ended")):
            bodies.append(
                {
                    "event_id": f"{call_id}-{kind}",
                    "type": kind,
                    "call_id": call_id,
                    "direction": "inbound",
                    "from": f"030 5{n % 300:06d}",
                    "to": "101",
                    "extension": "101" if n % 2 else "102",
                    "timestamp": (start + timedelta(seconds=offset)).isoformat(),
                }
            )
    random.Random(run_id).shuffle(bodies)  # out of order within a window
    replays = bodies[::10]
    return bodies + replays


def fire(url, bodies, threads, duration, sign, rate=None):
    """POST ``bodies`` from ``threads`` threads; ``sign(secret, timestamp, raw)``.

    Without ``rate`` every thread sends its next event as soon as the previous one is
    answered (closed loop: latency includes queueing behind the other threads). With
    ``rate`` events/s, event i is due at start + i / rate (open loop, as a PBX sends)
    and its latency is counted from that due time, so a late send is not hidden."""
    local = threading.local()
    latencies, answers = [], []
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def send(item):
        index, body = item
        if time.monotonic() > stop_at:
            return
        due = began + index / rate if rate else None
        if due:
            time.sleep(max(0.0, due - time.perf_counter()))
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        raw = json.dumps(body).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Clinic-Timestamp": timestamp,
            "X-Clinic-Signature": sign(SECRET, timestamp, raw),
        }
        sent_at = due or time.perf_counter()
        try:
            response = session.post(url, data=raw, headers=headers, timeout=30)
        except requests.ConnectionError as exc:
            # Counted (the event is then missing from the check below), not fatal: a
            # dropped connection must not hide the figures of the rest of the run.
            with lock:
                answers.append((None, type(exc).__name__))
            local.session = None
            return
        elapsed = (time.perf_counter() - sent_at) * 1000.0
        with lock:
            latencies.append(elapsed)
            answers.append((response.status_code, response.json().get("status")))

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(send, enumerate(bodies)))
    return time.perf_counter() - began, latencies, answers


def listen_overflows():
    """Connections the kernel refused because a listen queue was full (all sockets of the
    machine, from /proc/net/netstat): Odoo's prefork server listens with a backlog of 8
    per worker, and a dropped SYN is retried after 1, 3, 7, 15, 31 s."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return None
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            return dict(zip(names.split(), values.split(), strict=True)).get("ListenOverflows")
    return None


def verify(dbname, run_id):
    import psycopg2

    with psycopg2.connect(dbname=dbname) as conn, conn.cursor() as cr:
        cr.execute(
            """
            SELECT count(*), count(DISTINCT pbx_call_id),
                   count(*) FILTER (WHERE state = 'ended' AND talk_duration = 60)
              FROM clinic_call WHERE pbx_call_id LIKE %s
            """,
            [f"bench-{run_id}-%"],
        )
        rows, distinct, consistent = cr.fetchone()
        cr.execute(
            "SELECT count(*) FROM clinic_call_event WHERE event_id LIKE %s",
            [f"bench-{run_id}-%"],
        )
        events = cr.fetchone()[0]
    return rows, distinct, consistent, events


def saturate(url, clients, seconds, make_request):
    """Requests answered per second by ``clients`` keep-alive clients in ``seconds``.

    ``make_request(session, client, n)`` sends the n-th request of a client and
    returns True when it was answered as expected."""
    stop_at = time.perf_counter() + seconds
    done, bad = [0] * clients, [0] * clients

    def client(index):
        session = requests.Session()
        n = 0
        while time.perf_counter() < stop_at:
            if make_request(session, index, n):
                done[index] += 1
            else:
                bad[index] += 1
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - began), sum(bad)


def p6(base, sign, clients, rounds, phase):
    """Saturation rates of the webhook and of /web/webclient/version_info (P6)."""
    local = threading.local()
    webhook_url = f"{base}/clinic/telephony/bench/events"
    kinds = ("call.ringing", "call.answered", "call.ended")

    def webhook(session, client, n):
        if n == 0:  # a new phase: fresh calls for this client
            local.run_id = uuid.uuid4().hex[:12]
        call_id = f"p6-{local.run_id}-{client}-{n // 3}"
        kind = kinds[n % 3]
        body = {
            "event_id": f"{call_id}-{kind}",
            "type": kind,
            "call_id": call_id,
            "direction": "inbound",
            "from": f"030 5{n % 300:06d}",
            "to": "101",
            "extension": "101" if client % 2 else "102",
            "timestamp": datetime.now(timezone.utc).isoformat(),
        }
        raw = json.dumps(body).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Clinic-Timestamp": timestamp,
            "X-Clinic-Signature": sign(SECRET, timestamp, raw),
        }
        response = session.post(webhook_url, data=raw, headers=headers, timeout=30)
        return response.status_code == 200 and response.json().get("status") == "ok"

    version_url = f"{base}/web/webclient/version_info"
    rpc = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {}})

    def version_info(session, client, n):
        response = session.post(
            version_url, data=rpc, headers={"Content-Type": "application/json"}, timeout=30
        )
        return response.status_code == 200 and "result" in response.json()

    # Warm both code paths on both workers.
    saturate(base, clients, 3, webhook)
    saturate(base, clients, 3, version_info)
    rates = {"webhook": [], "version_info": []}
    failures = {"webhook": 0, "version_info": 0}
    loads = []
    for _round in range(rounds):
        for name, func in (("webhook", webhook), ("version_info", version_info)):
            rate, bad = saturate(base, clients, phase, func)
            rates[name].append(rate)
            failures[name] += bad
        loads.append(os.getloadavg()[0])
    return rates, failures, loads


def queries_per_event(env, sign):
    """SQL statements of one webhook request's own work (PBX lookup, signature, ingestion),
    counted by Odoo's cursors in this process: a figure that the machine's load does not
    skew. Odoo's request dispatch adds its own few statements on top."""
    import odoo.sql_db

    counts = {}
    call_id = f"bench-queries-{uuid.uuid4().hex[:8]}"
    steps = [
        ("first event", "call.ringing"),
        ("next event", "call.answered"),
        ("next event", "call.ended"),
        ("replay", "call.ended"),
    ]
    for label, kind in steps:
        body = {
            "event_id": f"{call_id}-{kind}",
            "type": kind,
            "call_id": call_id,
            "direction": "inbound",
            "from": "030 5000001",
            "to": "101",
            "extension": "101",
            "timestamp": datetime.now(timezone.utc).isoformat(),
        }
        raw = json.dumps(body).encode()
        timestamp = str(int(time.time()))
        before = odoo.sql_db.sql_counter
        headers = {
            "X-Clinic-Timestamp": timestamp,
            "X-Clinic-Signature": sign(SECRET, timestamp, raw),
        }
        status, _answer = env["clinic.pbx"]._webhook_receive("bench", headers, raw)
        counts.setdefault(label, []).append(odoo.sql_db.sql_counter - before)
        env.invalidate_all()  # the next request starts with an empty ORM cache
        assert status == 200, status
    env.cr.execute("DELETE FROM clinic_call WHERE pbx_call_id = %s", [call_id])
    env.cr.execute("DELETE FROM clinic_call_event WHERE event_id LIKE %s", [f"{call_id}-%"])
    return {label: max(values) for label, values in counts.items()}


def baseline(base, samples=30):
    """Latency of Odoo's /web/health (no database, no ORM): the floor of this machine."""
    session = requests.Session()
    latencies = []
    for _index in range(samples):
        began = time.perf_counter()
        session.get(f"{base}/web/health", timeout=30)
        latencies.append((time.perf_counter() - began) * 1000.0)
    return summary(latencies)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DB)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument(
        "--rate", type=float, default=100.0, help="events/s, open loop (0: closed loop)"
    )
    parser.add_argument("--duration", type=float, default=120.0, help="upper bound, seconds")
    parser.add_argument("--url", help="a running Odoo (2 workers) serving --db")
    parser.add_argument(
        "--port",
        type=int,
        help="HTTP port of the server the bench starts (and +1 for its "
        "websocket process); default: free ports",
    )
    parser.add_argument("--clients", type=int, default=8, help="P6 keep-alive clients")
    parser.add_argument("--rounds", type=int, default=3, help="P6 alternations")
    parser.add_argument("--phase", type=float, default=10.0, help="P6 seconds per phase")
    parser.add_argument("--only-p6", action="store_true", help="skip the P2 measurement")
    parser.add_argument(
        "--all-addons",
        action="store_true",
        help="install every clinic addon (analytics triggers, wallboard, missed calls) as a "
        "clinic runs them, in its own database",
    )
    args = parser.parse_args()

    if args.all_addons:
        if args.db == DB:
            args.db = f"{DB}_all"
        ensure_database(args.db, clinic.clinic_addons())
    else:
        ensure_database(args.db, ["clinic_telephony"])
    with environment(args.db) as env:
        prepare(env)
        env.cr.commit()
        # Importable once environment() loaded odoo.conf's addons path.
        from odoo.addons.clinic_base.tools.signature import sign

        queries = queries_per_event(env, sign)
    server = None
    base = args.url
    if not base:
        if args.port:
            server, base = start_server(args.db, args.port, args.port + 1)
        else:
            server, base = start_server(args.db, free_port())
    try:
        if not args.only_p6:
            run_id = uuid.uuid4().hex[:8]
            bodies = build_events(args.calls, run_id)
            url = f"{base}/clinic/telephony/bench/events"
            # Warm both workers (registry, routing map, code paths) outside the measurement.
            fire(url, build_events(100, f"warm{run_id}"), args.threads, 60, sign, args.rate)
            floor = baseline(base)
            overflows = listen_overflows()
            elapsed, latencies, answers = fire(
                url, bodies, args.threads, args.duration, sign, args.rate
            )
            if overflows is not None:
                overflows = int(listen_overflows()) - int(overflows)
        rates, failures, loads = p6(base, sign, args.clients, args.rounds, args.phase)
    finally:
        if server:
            server.terminate()
            server.wait(30)
    p6_ok = print_p6(rates, failures, loads, args)
    if args.only_p6:
        sys.exit(0 if p6_ok else 1)

    unique = len({body["event_id"] for body in bodies})
    sent = len(answers)
    statuses = {}
    for status, verdict in answers:
        statuses[(status, verdict)] = statuses.get((status, verdict), 0) + 1
    rows, distinct, consistent, events = verify(args.db, run_id)
    stats = summary(latencies)
    load = f"open loop at {args.rate:g} events/s" if args.rate else "closed loop"
    print(f"P2 webhook ingestion, 2 workers, {args.threads} client threads, {load}, loopback")
    print(f"  events sent      {sent} ({unique} unique + replays) in {elapsed:.1f} s")
    print(f"  throughput       {sent / elapsed:.1f} events/s   (target >= 100)")
    print(f"  latency          {fmt(stats)}   (target p95 <= 50 ms)")
    print(f"  load average     {os.getloadavg()[0]:.1f} (shared machine: figures scale with it)")
    print(f"  /web/health      {fmt(floor)}   (machine floor, for context)")
    print(
        "  SQL per request  "
        + ", ".join(f"{label} {count}" for label, count in queries.items())
        + "   (PBX lookup, signature, ingestion; Odoo's dispatch adds its own)"
    )
    print(f"  answers          {dict(sorted(statuses.items(), key=str))}")
    if overflows is not None:
        print(
            f"  listen overflows {overflows} during the run (whole machine; SYNs dropped "
            f"because a listen queue was full, retried by the client after 1, 3, 7... s)"
        )
    print(
        f"  calls            {rows} rows, {distinct} distinct of {args.calls} expected, "
        f"{consistent} ended with the right duration"
    )
    print(f"  events stored    {events} of {unique} unique")
    complete = sent == len(bodies) and None not in {status for status, _verdict in answers}
    ok = complete and rows == distinct == consistent == args.calls and events == unique
    print(
        f"  lost/duplicated  {'none' if ok else 'MISMATCH'}"
        + ("" if complete else " (not every event was answered: see answers)")
    )
    sys.exit(0 if ok and p6_ok else 1)


def print_p6(rates, failures, loads, args):
    webhook = statistics.median(rates["webhook"])
    version = statistics.median(rates["version_info"])
    ratio = 100.0 * webhook / version if version else 0.0
    print(
        f"P6 saturation, 2 workers, {args.clients} keep-alive clients, "
        f"{args.rounds} x {args.phase:g} s alternating phases, same server, one run"
    )
    print(
        f"  webhook events   {webhook:7.1f} /s   (rounds: "
        + ", ".join(f"{r:.1f}" for r in rates["webhook"])
        + f"; refused {failures['webhook']})"
    )
    print(
        f"  version_info     {version:7.1f} /s   (rounds: "
        + ", ".join(f"{r:.1f}" for r in rates["version_info"])
        + f"; failed {failures['version_info']})"
    )
    print(f"  ratio            {ratio:7.1f} %    (target >= 50 %)")
    print(f"  load average     {', '.join(f'{load:.1f}' for load in loads)} (after each round)")
    return not failures["webhook"] and not failures["version_info"]


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
