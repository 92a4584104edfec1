"""P4: reminder campaign for N next-day appointments, queued and sent through the outbox.

    python3 bench/bench_reminders.py [--db clinic_bench_p4] [--appointments 5000] [--fallback]
                                     [--provider local|twilio|smpp]

Installs clinic_reminder into the database (no demo data) if needed, starts a
local emulator on 127.0.0.1 (the generic JSON gateway, Twilio's REST API or an
SMPP 3.4 SMSC, from clinic_reminder/tools/), creates N patients with one
appointment each tomorrow, then times:

* build: the chronological reminder call list (one row per appointment);
* queue: rendering the "Appointment notification" template and queueing the
  messages in the outbox (tokens included) - what the campaign's transaction does;
* dispatch: the outbox dispatcher (C11) as its cron runs it: claims with
  ``FOR UPDATE SKIP LOCKED``, commits "sending", calls the provider, commits the
  outcome, batch after batch, until the outbox is empty.

``--fallback``: the messenger is a Telegram bot no patient has linked yet, so
every reminder fails on it at once and goes out as SMS (C5's fallback path).

The dispatcher commits, so the fixture is committed too and removed at the end.
SPEC targets: built + queued <= 10 s, dispatched >= 100 messages/s.
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


def sms_gateway_vals(provider, emulator, token):
    if provider == "twilio":
        return {
            "kind": "twilio",
            "url": emulator.url,
            "twilio_account_sid": emulator.account_sid,
            "api_token": emulator.auth_token,
            "sender": "+4930123456",
        }
    if provider == "smpp":
        return {
            "kind": "smpp",
            "smpp_host": "127.0.0.1",
            "smpp_port": emulator.port,
            "smpp_system_id": emulator.system_id,
            "api_token": emulator.password,
            "sender": "Clinic",
        }
    return {"kind": "http_json", "url": emulator.url, "api_token": token}


def prepare(env, count, provider, emulator, token, fallback=False):
    company = env.company
    company.partner_id.tz = "UTC"
    # The benchmark runs at any hour: no quiet hours (C13) while it measures.
    company.write({"clinic_reminder_quiet_start": 0.0, "clinic_reminder_quiet_end": 0.0})
    Gateway = env["clinic.reminder.gateway"]
    sms_only = provider != "local"
    messenger = Gateway.create(
        {
            "name": "Bench messenger",
            "code": f"bench_{secrets.token_hex(4)}",
            "kind": "telegram" if fallback else "http_json",
            "channel": "messenger",
            "url": emulator.url if provider == "local" else "http://127.0.0.1:9",
            "api_token": token,
        }
    )
    sms = Gateway.create(
        dict(
            sms_gateway_vals(provider, emulator, token),
            name="Bench SMS",
            code=f"bench_{secrets.token_hex(4)}",
            channel="sms",
        )
    )
    company.clinic_reminder_messenger_gateway_id = False if sms_only else messenger
    company.clinic_reminder_sms_gateway_id = sms if (fallback or sms_only) else False
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
    return tomorrow.date(), doctors, patients, messenger | sms


def run(env, day):
    Campaign = env["clinic.reminder.campaign"]
    existing = Campaign.search([("date", "=", day)])
    existing.unlink()
    env.invalidate_all()

    start = time.perf_counter()
    campaign = Campaign.create({"date": day})
    call_list = campaign._build_list()
    env.flush_all()
    built = time.perf_counter() - start

    start = time.perf_counter()
    messages = campaign._queue_reminders(call_list.line_ids)
    env.flush_all()
    queued = time.perf_counter() - start
    # What the campaign's transaction does before the dispatcher's cron wakes up.
    env.cr.commit()

    start = time.perf_counter()
    env["clinic.reminder.message"]._dispatch_outbox(commit=True, seconds=3600)
    dispatched = time.perf_counter() - start
    messages = messages.filtered(lambda m: m.state != "failed" or m.channel == "sms")
    env.invalidate_all()
    states = {}
    for state in messages.mapped("state"):
        states[state] = states.get(state, 0) + 1
    return campaign, len(call_list.line_ids), len(messages), built, queued, dispatched, states


def cleanup(env, campaign, doctors, patients, gateways):
    env.invalidate_all()
    env["clinic.reminder.message"].search([("campaign_id", "=", campaign.id)]).unlink()
    lists = campaign.list_id | campaign.followup_list_id
    campaign.unlink()
    lists.unlink()
    env["calendar.event"].search([("patient_id", "in", patients.ids)]).unlink()
    patients.unlink()
    doctors.unlink()
    env.company.clinic_reminder_messenger_gateway_id = False
    env.company.clinic_reminder_sms_gateway_id = False
    gateways.unlink()
    env.cr.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="clinic_bench_p4")
    parser.add_argument("--appointments", type=int, default=5000)
    parser.add_argument(
        "--fallback", action="store_true", help="messenger reaches nobody: everything as SMS"
    )
    parser.add_argument(
        "--provider",
        choices=("local", "twilio", "smpp"),
        default="local",
        help="SMS through the generic JSON gateway (default), Twilio's API or an SMPP SMSC",
    )
    args = parser.parse_args()

    ensure_database(args.db, ["clinic_reminder"])
    with environment(args.db) as env:
        from odoo.addons.clinic_reminder.tools.local_gateway import LocalGateway
        from odoo.addons.clinic_reminder.tools.smsc_emulator import SmscEmulator
        from odoo.addons.clinic_reminder.tools.twilio_emulator import TwilioEmulator

        token = secrets.token_hex(8)
        gateway = {
            "local": lambda: LocalGateway(token, secrets.token_hex(16)),
            "twilio": TwilioEmulator,
            "smpp": SmscEmulator,
        }[args.provider]().start()
        try:
            print(
                f"[bench] creating {args.appointments:,} patients and appointments ...", flush=True
            )
            day, doctors, patients, gateways = prepare(
                env, args.appointments, args.provider, gateway, token, args.fallback
            )
            env.cr.commit()
            campaign, rows, sent, built, queued, dispatched, states = run(env, day)
            received = len(getattr(gateway, "sent", None) or gateway.messages)
            cleanup(env, campaign, doctors, patients, gateways)
        finally:
            gateway.stop()
            env.cr.rollback()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print()
    print(
        f"P4 reminder campaign, {args.appointments:,} next-day appointments"
        f"{', all by SMS fallback' if args.fallback else ''} through the outbox to the "
        f"{args.provider} emulator "
        f"(load average {load} on {os.cpu_count()} cores)"
    )
    print(f"  list built         {built:7.2f} s  ({rows:,} rows)")
    print(f"  messages queued    {queued:7.2f} s  (template rendered, tokens)")
    print(f"  built + queued     {built + queued:7.2f} s  target <= 10 s")
    print(
        f"  dispatched         {dispatched:7.2f} s  {sent / dispatched:8.0f} messages/s "
        f"target >= 100/s  {states}"
    )
    print(f"  provider received  {received:,} messages")


if __name__ == "__main__":
    main()
