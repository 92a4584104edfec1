"""P4: reminder campaign for N next-day appointments, built and sent via the local gateway.

    python3 bench/bench_reminders.py [--db clinic_bench_p4] [--appointments 5000] [--fallback]

Installs clinic_reminder into the database (no demo data) if needed, starts the
local test gateway (clinic_reminder/tools/local_gateway.py) on 127.0.0.1, creates
N patients with one appointment each tomorrow, then times:

* build: the chronological reminder call list (one row per appointment);
* queue: rendering the "Appointment notification" template and queueing the
  messenger messages (tokens included);
* dispatch: sending every message over HTTP to the local gateway.

``--fallback``: the messenger is a Telegram bot no patient has linked yet, so
every reminder fails on it at once and goes out as SMS (C5's fallback path).

Everything runs in one transaction that is rolled back at the end, so the
database is left as it was. SPEC targets: built <= 10 s, dispatched >= 100 messages/s.
"""

import argparse
import os
import secrets
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ensure_database, environment  # noqa: E402


def prepare(env, count, gateway_url, token, fallback=False):
    company = env.company
    company.partner_id.tz = "UTC"
    Gateway = env["clinic.reminder.gateway"]
    gateway, sms = Gateway.create(
        [
            {
                "name": "Bench messenger",
                "code": f"bench_{secrets.token_hex(4)}",
                "kind": "telegram" if fallback else "http_json",
                "channel": "messenger",
                "url": gateway_url,
                "api_token": token,
            },
            {
                "name": "Bench SMS",
                "code": f"bench_{secrets.token_hex(4)}",
                "kind": "http_json",
                "channel": "sms",
                "url": gateway_url,
                "api_token": token,
            },
        ]
    )
    company.clinic_reminder_messenger_gateway_id = gateway
    company.clinic_reminder_sms_gateway_id = sms if fallback else False
    doctors = env["res.users"].create(
        [{"name": f"Dr Bench {i}", "login": f"bench_doc_{secrets.token_hex(4)}"} for i in range(10)]
    )
    patients = env["res.partner"].create(
        [
            {"name": f"Bench Patient {i}", "is_patient": True, "mobile": f"+4915{20000000 + i}"}
            for i in range(count)
        ]
    )
    tomorrow = datetime.combine(datetime.utcnow().date() + timedelta(days=1), datetime.min.time())
    env["calendar.event"].with_context(tracking_disable=True, no_mail_to_attendees=True).create(
        [
            {
                "patient_id": patient.id,
                "practitioner_id": doctors[i % len(doctors)].id,
                "start": tomorrow + timedelta(hours=7, minutes=(i * 7) % 780),
                "stop": tomorrow + timedelta(hours=7, minutes=(i * 7) % 780 + 20),
            }
            for i, patient in enumerate(patients)
        ]
    )
    env.flush_all()
    return tomorrow.date()


def run(env, day):
    Campaign = env["clinic.reminder.campaign"]
    existing = Campaign.search([("date", "=", day)])
    existing.unlink()
    env.invalidate_all()

    start = time.perf_counter()
    campaign = Campaign.create({"date": day})
    call_list = campaign._clinic_build_list()
    env.flush_all()
    built = time.perf_counter() - start

    start = time.perf_counter()
    messages = campaign._clinic_queue(call_list.line_ids, "messenger")
    # Not connected to the messenger: SMS at once (none without --fallback).
    messages = messages.filtered(lambda m: m.state != "failed") | (
        messages._clinic_queue_fallback()
    )
    env.flush_all()
    queued = time.perf_counter() - start

    start = time.perf_counter()
    messages._clinic_dispatch()
    env.flush_all()
    dispatched = time.perf_counter() - start
    states = {}
    for state in messages.mapped("state"):
        states[state] = states.get(state, 0) + 1
    return len(call_list.line_ids), len(messages), built, queued, dispatched, states


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="clinic_bench_p4")
    parser.add_argument("--appointments", type=int, default=5000)
    parser.add_argument(
        "--fallback", action="store_true", help="messenger reaches nobody: everything as SMS"
    )
    args = parser.parse_args()

    ensure_database(args.db, ["clinic_reminder"])
    with environment(args.db) as env:
        from odoo.addons.clinic_reminder.tools.local_gateway import LocalGateway

        token = secrets.token_hex(8)
        gateway = LocalGateway(token, secrets.token_hex(16)).start()
        try:
            print(
                f"[bench] creating {args.appointments:,} patients and appointments ...", flush=True
            )
            day = prepare(env, args.appointments, gateway.url, token, args.fallback)
            rows, sent, built, queued, dispatched, states = run(env, day)
        finally:
            gateway.stop()
            env.cr.rollback()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print()
    print(
        f"P4 reminder campaign, {args.appointments:,} next-day appointments"
        f"{', all by SMS fallback' if args.fallback else ''} "
        f"(load average {load} on {os.cpu_count()} cores)"
    )
    print(f"  list built         {built:7.2f} s  ({rows:,} rows)")
    print(f"  messages queued    {queued:7.2f} s  (template rendered, tokens)")
    print(f"  built + queued     {built + queued:7.2f} s  target <= 10 s")
    print(
        f"  dispatched         {dispatched:7.2f} s  {sent / dispatched:8.0f} messages/s "
        f"target >= 100/s  {states}"
    )
    print(f"  gateway received   {len(gateway.sent):,} messages")


if __name__ == "__main__":
    main()
