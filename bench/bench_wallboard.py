"""P8: a new call, an arrival and a reminder answer reach 20 open wallboards.

    python3 bench/bench_wallboard.py [--db clinic_bench_p8] [--boards 20] [--rounds 10]

Uses the database ``clinic_bench_p8`` (clinic_wallboard with telephony, the waiting
room and reminders, no demo data) and starts Odoo as deployed: prefork with 2
workers and its gevent websocket process. ``--boards`` Wallboard users log in and
keep the board's websocket open on their clinic's channel (``res.company_<id>``),
as the client action does. Each round, three things happen the way they happen in
a clinic, one after the other:

- call: the PBX posts ``call.ringing`` for a desk phone to the signed webhook;
- arrival: a checked-in patient's page opens its websocket and reports its
  presence (W11), as the patient page does;
- reminder answer: a patient presses "Confirm" on the reminder page (C8).

The figure is the time from that action until each board has the panel showing
it (the phone ringing, the patient in the room, one more confirmation): the
board's channel says which panels changed, and the board reads them again
``READ_DELAY`` (plus up to ``READ_SPREAD`` at random) later with
``clinic.wallboard.get_panels``, as the client action does (each board in its own
thread as separate TVs would);
SPEC P8: <= 1 s. Figures only, no assertions on time.
"""

import argparse
import json
import os
import random
import re
import secrets
import selectors
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_missed_calls import OperatorScreen, post  # noqa: E402
from bench_waiting_room import WEBSOCKET_VERSION, start_server  # noqa: E402
from bench_webhook import free_port  # noqa: E402
from common import ensure_database, environment, fmt, summary  # noqa: E402

DB = "clinic_bench_p8"
SECRET = "bench-p7-secret"  # bench_missed_calls.post signs with it
PBX_CODE = "benchp8"
NOTIFICATION = "clinic_wallboard/panels"
KINDS = ("call", "arrival", "reminder answer")
READ_DELAY, READ_SPREAD = 0.3, 0.2  # wallboard.js READ_DELAY, READ_SPREAD


def prepare(env, boards, rounds):
    """Board users, a PBX with a desk phone per round, checked-in patients not yet
    arrived and tomorrow's reminded visits; committed for the server to see."""
    env = env(context={"tracking_disable": True, "mail_notrack": True})
    company = env.company
    company.country_id = env.ref("base.de")
    tag = secrets.token_hex(3)
    Pbx = env["clinic.pbx"].with_context(active_test=False)
    pbx = Pbx.search([("code", "=", PBX_CODE)]) or Pbx.create(
        {"name": "Bench P8 PBX", "code": PBX_CODE, "kind": "webhook"}
    )
    pbx.write({"secret": SECRET, "active": True})
    # one desk phone per round, free at the start: earlier runs' calls end first
    env["clinic.call"].search([("state", "in", ("ringing", "talking"))]).write({"state": "ended"})
    extensions = []
    for n in range(rounds):
        extension = str(800 + n)
        Phone = env["clinic.telephony.phone"]
        if not Phone.search([("pbx_id", "=", pbx.id), ("extension", "=", extension)]):
            Phone.create({"name": f"Desk {extension}", "extension": extension, "pbx_id": pbx.id})
        extensions.append(extension)
    group = env.ref("clinic_wallboard.group_wallboard")
    logins = []
    for n in range(boards):
        login = f"p8_board_{n}"
        user = env["res.users"].search([("login", "=", login)]) or env["res.users"].create(
            {"name": f"P8 board {n}", "login": login, "password": login}
        )
        user.groups_id = [(4, group.id)]
        logins.append(login)
    room = env["clinic.waiting.room"].create({"name": f"Bench P8 room {tag}"})
    patients = env["res.partner"].create(
        [{"name": f"P8{tag}n{n} Arrival", "is_patient": True} for n in range(rounds)]
    )
    entries = env["clinic.waiting.entry"].create(
        [{"patient_id": p.id, "room_id": room.id} for p in patients]
    )
    for entry in entries:
        entry._patient_checkin(True, True)
    arrivals = [(e.guest_id._format_auth_cookie(), f"P8{tag}n{n}") for n, e in enumerate(entries)]
    # tomorrow's visits on a reminder list, each answered once by its patient
    day = company._clinic_today() + timedelta(days=1)
    start, __ = company._clinic_day_bounds(day)
    visits = env["calendar.event"].create(
        [
            {
                "name": f"P8 visit {n}",
                "patient_id": p.id,
                "start": start + timedelta(hours=8, minutes=10 * n),
                "stop": start + timedelta(hours=8, minutes=10 * n + 10),
            }
            for n, p in enumerate(patients)
        ]
    )
    call_list = env["clinic.call.list"].create(
        {"name": f"P8 reminders {tag}", "kind": "reminder", "date": day}
    )
    env["clinic.call.list.line"].create(
        [{"list_id": call_list.id, "partner_id": v.patient_id.id, "event_id": v.id} for v in visits]
    )
    visits._clinic_reminder_ensure_token()
    tokens = visits.mapped("clinic_reminder_token")
    env.cr.commit()
    return company.id, extensions, logins, arrivals, tokens


class Board(OperatorScreen):
    """One wallboard's websocket, subscribed to its clinic's channel."""

    def __init__(self, dbname, base, ws_url, login, company_id):
        super().__init__(dbname, base, ws_url, login)
        # the board's subscription replaces the plain one
        channels = [f"res.company_{company_id}"]
        self.changed, self.due = set(), None
        self.call("get_board", [])  # the client action's first load
        self.ws.send(
            json.dumps({"event_name": "subscribe", "data": {"channels": channels, "last": 0}})
        )

    def read(self):
        for notification in json.loads(self.ws.recv() or "[]"):
            message = notification["message"]
            if message["type"] == NOTIFICATION:
                if not self.changed:
                    self.due = time.monotonic() + READ_DELAY + random.random() * READ_SPREAD
                self.changed.update(message["payload"]["changed"])

    def call(self, method, args):
        answer = self.session.post(
            f"{self.base}/web/dataset/call_kw/clinic.wallboard/{method}",
            json={
                "params": {
                    "model": "clinic.wallboard",
                    "method": method,
                    "args": args,
                    "kwargs": {},
                }
            },
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json()["result"]

    def read_changed(self):
        names, self.changed = sorted(self.changed), set()
        panels = self.call("get_panels", [names])["panels"]
        now = time.perf_counter()
        for phone in panels.get("phones", []):
            if phone["state"] == "ringing":
                self.seen.setdefault(("call", phone["extension"]), now)
        for room in panels.get("rooms", []):
            for patient in room["patients"]:
                self.seen.setdefault(("arrival", patient["name"].split()[0]), now)
        if "reminders" in panels:
            confirmed = panels["reminders"]["confirmed"]
            self.seen.setdefault(("reminder answer", confirmed), now)


def wait_for(boards, selector, key, pool, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(key in b.seen for b in boards):
        for selected, __ in selector.select(timeout=0.05):
            selected.fileobj.read()
        due = [b for b in boards if b.changed and time.monotonic() >= b.due]
        list(pool.map(Board.read_changed, due))
    return [b.seen[key] for b in boards if key in b.seen]


def confirm(base, token):
    """The patient opens the reminder page and presses Confirm (a form with its CSRF token)."""
    session = requests.Session()
    page = session.get(f"{base}/clinic/r/{token}", timeout=30)
    page.raise_for_status()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    sent = time.perf_counter()
    session.post(
        f"{base}/clinic/r/{token}/confirm", data={"csrf_token": csrf}, timeout=30
    ).raise_for_status()
    return sent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DB)
    parser.add_argument("--boards", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    dbname = args.db
    ensure_database(
        dbname, ["clinic_wallboard", "clinic_telephony", "clinic_waiting_room", "clinic_reminder"]
    )
    with environment(dbname) as env:
        company_id, extensions, logins, arrivals, tokens = prepare(env, args.boards, args.rounds)
        env.cr.execute(
            """SELECT count(*) FROM clinic_call_list_line l
                JOIN calendar_event e ON e.id = l.event_id
               WHERE l.reminder_colour = 'green' AND l.company_id = %s
                 AND e.start >= %s AND e.start < %s""",
            [company_id, *env.company._clinic_day_bounds(
                env.company._clinic_today() + timedelta(days=1)
            )],
        )  # fmt: skip
        confirmed = env.cr.fetchone()[0]
    http_port, gevent_port = free_port(), free_port()
    server = start_server(dbname, http_port, gevent_port, workers=2)
    base = f"http://127.0.0.1:{http_port}"
    ws_url = f"ws://127.0.0.1:{gevent_port}/websocket?version={WEBSOCKET_VERSION}"
    latencies = {kind: [] for kind in KINDS}
    lost = dict.fromkeys(KINDS, 0)
    pages = []
    try:
        boards = [Board(dbname, base, ws_url, login, company_id) for login in logins]
        pool = ThreadPoolExecutor(max_workers=len(boards))
        selector = selectors.DefaultSelector()
        for board in boards:
            selector.register(board, selectors.EVENT_READ)
        time.sleep(1)  # the subscriptions reach the websocket process
        session = requests.Session()
        url = f"{base}/clinic/telephony/{PBX_CODE}/events"
        for n in range(args.rounds):
            # a new call rings at a desk phone
            call_id = f"p8-{uuid.uuid4().hex[:10]}"
            body = {
                "type": "call.ringing",
                "call_id": call_id,
                "direction": "inbound",
                "from": f"+4930{8000000 + n}",
                "to": extensions[n],
                "extension": extensions[n],
                "event_id": f"{call_id}-r",
                "timestamp": datetime.now(timezone.utc).isoformat(),
            }
            sent = time.perf_counter()
            post(session, url, body)
            times = wait_for(boards, selector, ("call", extensions[n]), pool)
            latencies["call"] += [(t - sent) * 1000.0 for t in times]
            lost["call"] += len(boards) - len(times)
            # a patient opens their waiting-room page
            cookie, first_name = arrivals[n]
            sent = time.perf_counter()
            page = websocket.create_connection(
                ws_url, cookie=f"dgid={cookie}", origin=base, timeout=30
            )
            page.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
            presence = {"inactivity_period": 0, "im_status_ids_by_model": {}}
            page.send(json.dumps({"event_name": "update_presence", "data": presence}))
            pages.append(page)
            times = wait_for(boards, selector, ("arrival", first_name), pool)
            latencies["arrival"] += [(t - sent) * 1000.0 for t in times]
            lost["arrival"] += len(boards) - len(times)
            # a patient confirms tomorrow's visit
            sent = confirm(base, tokens[n])
            confirmed += 1
            times = wait_for(boards, selector, ("reminder answer", confirmed), pool)
            latencies["reminder answer"] += [(t - sent) * 1000.0 for t in times]
            lost["reminder answer"] += len(boards) - len(times)
            post(session, url, dict(body, type="call.ended", event_id=f"{call_id}-e"))
    finally:
        for page in pages:
            page.close()
        server.terminate()
        server.wait(30)
    print(
        f"P8 wallboard: {args.boards} boards open, {args.rounds} rounds, "
        "prefork 2 workers + websocket process"
    )
    for kind in KINDS:
        if latencies[kind]:
            print(f"  {kind:<16} {fmt(summary(latencies[kind]))}   (target <= 1000 ms each)")
        print(f"  {kind:<16} not received: {lost[kind]} of {args.boards * args.rounds}")
    print(f"  load average     {os.getloadavg()[0]:.1f} (shared machine: figures scale with it)")
    sys.exit(1 if any(lost.values()) else 0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
