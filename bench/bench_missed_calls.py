"""P7: a missed call reaches the "Missed calls" list on every operator's screen.

    python3 bench/bench_missed_calls.py [--operators 5] [--calls 20]

Uses the database ``clinic_bench_p7`` (clinic_calldrive_telephony and what it needs,
no demo data) and starts Odoo as deployed: prefork with 2 workers and its gevent
websocket process. ``--operators`` telephony users log in and keep a websocket open
(their own channel, as the web client does). For each of ``--calls`` calls, a PBX
posts ``call.ringing`` then ``call.ended`` (unanswered) to the signed webhook; the
figure is the time from posting ``call.ended`` to the missed-call notification on
each operator's websocket (SPEC P7: <= 1 s). Figures only, no assertions on time.
"""

import argparse
import json
import os
import selectors
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import requests
import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_waiting_room import WEBSOCKET_VERSION, start_server  # noqa: E402
from bench_webhook import free_port  # noqa: E402
from common import ensure_database, environment, fmt, summary  # noqa: E402

DB = "clinic_bench_p7"
SECRET = "bench-p7-secret"
NOTIFICATION = "clinic_calldrive_telephony/missed"


def prepare(env, operators):
    """The PBX, a desk phone per operator and the operators, committed for the server."""
    env.company.country_id = env.ref("base.de")
    Pbx = env["clinic.pbx"].with_context(active_test=False)
    pbx = Pbx.search([("code", "=", "benchp7")]) or Pbx.create(
        {"name": "Bench P7 PBX", "code": "benchp7", "kind": "webhook"}
    )
    pbx.write({"secret": SECRET, "active": True})
    users = env["res.users"]
    for n in range(operators):
        login = f"p7_operator_{n}"
        user = env["res.users"].search([("login", "=", login)]) or env["res.users"].create(
            {
                "name": f"P7 operator {n}",
                "login": login,
                "password": login,
                "groups_id": [(4, env.ref("clinic_base.group_clinic_operator").id)],
            }
        )
        user.clinic_telephony_allowed = True
        users |= user
        extension = str(100 + n)
        phone = env["clinic.telephony.phone"].search(
            [("pbx_id", "=", pbx.id), ("extension", "=", extension)]
        ) or env["clinic.telephony.phone"].create(
            {"name": f"Desk {extension}", "extension": extension, "pbx_id": pbx.id}
        )
        phone.user_id = user
    return users


class OperatorScreen:
    """One operator's websocket, as the web client opens it."""

    def __init__(self, dbname, base, ws_url, login):
        session = requests.Session()
        session.post(
            f"{base}/web/session/authenticate",
            json={"params": {"db": dbname, "login": login, "password": login}},
            timeout=30,
        ).raise_for_status()
        self.session, self.base = session, base
        self.ws = websocket.create_connection(
            ws_url,
            cookie=f"session_id={session.cookies['session_id']}",
            origin=base,
            timeout=30,
        )
        self.ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
        self.seen = {}

    def fileno(self):
        return self.ws.sock.fileno()

    def read(self):
        for notification in json.loads(self.ws.recv() or "[]"):
            message = notification["message"]
            if message["type"] == NOTIFICATION:
                digits = "".join(ch for ch in message["payload"]["number"] if ch.isdigit())
                self.seen.setdefault(digits, time.perf_counter())


def post(session, url, body):
    from odoo.addons.clinic_base.tools.signature import sign

    raw = json.dumps(body).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Clinic-Timestamp": timestamp,
        "X-Clinic-Signature": sign(SECRET, timestamp, raw),
    }
    response = session.post(url, data=raw, headers=headers, timeout=30)
    response.raise_for_status()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DB)
    parser.add_argument("--operators", type=int, default=5)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    dbname = args.db
    ensure_database(dbname, ["clinic_calldrive_telephony"])
    with environment(dbname) as env:
        users = prepare(env, args.operators)
        logins = users.mapped("login")
        env.cr.commit()
    http_port, gevent_port = free_port(), free_port()
    server = start_server(dbname, http_port, gevent_port, workers=2)
    base = f"http://127.0.0.1:{http_port}"
    latencies, lost = [], 0
    try:
        ws_url = f"ws://127.0.0.1:{gevent_port}/websocket?version={WEBSOCKET_VERSION}"
        screens = [OperatorScreen(dbname, base, ws_url, login) for login in logins]
        session = requests.Session()
        url = f"{base}/clinic/telephony/benchp7/events"
        selector = selectors.DefaultSelector()
        for screen in screens:
            selector.register(screen, selectors.EVENT_READ)
        for n in range(args.calls):
            call_id = f"p7-{uuid.uuid4().hex[:10]}"
            digits = str(7000000 + n)
            body = {
                "type": "call.ringing",
                "call_id": call_id,
                "direction": "inbound",
                "from": f"+4930{7000000 + n}",
                "to": "100",
                "extension": "100",
            }
            stamp = datetime.now(timezone.utc).isoformat()
            post(session, url, dict(body, event_id=f"{call_id}-r", timestamp=stamp))
            time.sleep(0.2)
            stamp = datetime.now(timezone.utc).isoformat()
            sent = time.perf_counter()
            ended = dict(body, type="call.ended", event_id=f"{call_id}-e", timestamp=stamp)
            post(session, url, ended)
            deadline = time.monotonic() + 10
            row_times = []
            while time.monotonic() < deadline and len(row_times) < len(screens):
                for key, __ in selector.select(timeout=0.5):
                    key.fileobj.read()
                # this call's row, recognised on each screen by its number
                row_times = [
                    t
                    for screen in screens
                    for number, t in screen.seen.items()
                    if number.endswith(digits)
                ]
            lost += len(screens) - len(row_times)
            latencies += [(t - sent) * 1000.0 for t in row_times]
    finally:
        server.terminate()
        server.wait(30)
    print(
        f"P7 missed call -> Missed calls list, {args.operators} operator websockets, "
        f"{args.calls} calls, prefork 2 workers + websocket process"
    )
    print(f"  latency          {fmt(summary(latencies))}   (target <= 1000 ms each)")
    print(f"  not received     {lost} of {args.operators * args.calls}")
    print(f"  load average     {os.getloadavg()[0]:.1f} (shared machine: figures scale with it)")
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
