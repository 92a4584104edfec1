"""O4: with every addon installed, uninstalling any feature addon leaves the others working.

Each case works on its own copy of a database with every clinic addon (see
conftest.py), uninstalls one feature addon (and what depends on it) the way the
Apps screen does, then checks in the same Odoo process what is still installed:
a PBX event sequence is ingested through the real HTTP stack (clinic_telephony),
tomorrow's confirmation list is built (clinic_calldrive), a reminder campaign
queues its messages (clinic_reminder).
"""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import cluster  # noqa: E402 - tools/cluster.py: odoo shell on a database

FEATURE_ADDONS = [
    "clinic_telephony_analytics",
    "clinic_calldrive_telephony",
    "clinic_waiting_room",
    "clinic_reminder",
    "clinic_calldrive",
    "clinic_telephony",
    "clinic_wallboard",
]

SCRIPT = """
import json, time
from datetime import datetime, timedelta
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

module = env["ir.module.module"].search([("name", "=", {addon!r})])
module.button_immediate_uninstall()  # commits, then reloads the registry

results = {{}}
with Registry(env.cr.dbname).cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {{"tracking_disable": True}})
    installed = set(env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
    results["installed"] = sorted(name for name in installed if name.startswith("clinic_"))
    env.company.country_id = env.ref("base.de")
    patient = env["res.partner"].create({{
        "name": "O4 Patient", "is_patient": True, "phone": "030 7654321",
        "mobile": "0151 7654321",
    }})
    tomorrow = datetime.utcnow().replace(hour=9, minute=0, second=0, microsecond=0)
    tomorrow += timedelta(days=1)
    env["calendar.event"].create({{
        "name": "O4 visit", "patient_id": patient.id, "practitioner_id": env.uid,
        "start": tomorrow, "stop": tomorrow + timedelta(minutes=30),
    }})
    if "clinic_telephony" in installed:
        pbx = env["clinic.pbx"].create(
            {{"name": "O4 PBX", "code": "o4", "kind": "webhook", "secret": "o4-secret"}}
        )
        env["clinic.telephony.phone"].create(
            {{"name": "O4 desk", "extension": "401", "pbx_id": pbx.id}}
        )
    if "clinic_reminder" in installed:
        # a gateway that refuses connections: the campaign still queues its messages
        gateway = env["clinic.reminder.gateway"].create({{
            "name": "O4 SMS", "code": "o4_sms", "kind": "http_json", "channel": "sms",
            "url": "http://127.0.0.1:9/", "api_token": "o4", "webhook_secret": "o4-secret",
        }})
        env.company.clinic_reminder_sms_gateway_id = gateway
    cr.commit()

    if "clinic_telephony" in installed:
        from werkzeug.test import Client
        from odoo.http import root
        from odoo.addons.clinic_base.tools.signature import sign
        client = Client(root)
        statuses = []
        start = datetime.utcnow()
        for offset, kind in ((0, "call.ringing"), (5, "call.answered"), (65, "call.ended")):
            raw = json.dumps({{
                "event_id": "o4-" + kind, "type": kind, "call_id": "o4-call",
                "direction": "inbound", "from": "030 7654321", "to": "401",
                "extension": "401",
                "timestamp": (start + timedelta(seconds=offset)).isoformat(),
            }}).encode()
            stamp = str(int(time.time()))
            answer = client.post(
                "/clinic/telephony/o4/events", data=raw, headers={{
                    "Content-Type": "application/json", "X-Clinic-Timestamp": stamp,
                    "X-Clinic-Signature": sign("o4-secret", stamp, raw),
                }},
            )
            statuses.append(answer.status_code)
        cr.rollback()  # see what the requests committed
        call = env["clinic.call"].search([("pbx_call_id", "=", "o4-call")])
        calls = [(c.state, c.partner_id.name) for c in call]
        results["pbx"] = {{"statuses": statuses, "calls": calls}}
    if "clinic_calldrive" in installed:
        call_list = env["clinic.call.list"].create({{
            "name": "O4 confirmation", "kind": "confirmation", "date": tomorrow.date(),
        }})
        call_list.action_refresh()
        results["list_rows"] = call_list.line_ids.partner_id.mapped("name")
    if "clinic_reminder" in installed:
        campaign = env["clinic.reminder.campaign"].create({{"date": tomorrow.date()}})
        campaign.action_send()
        results["campaign_messages"] = campaign.message_ids.partner_id.mapped("name")
    if "clinic_wallboard" in installed:
        # X1: the board shows the panels of what is still installed
        results["board"] = sorted(env["clinic.wallboard"].get_board()["panels"])
    cr.commit()
print("O4-RESULT " + json.dumps(results))
"""

# addon -> the addons its uninstallation takes along (they depend on it)
TAKES_ALONG = {
    "clinic_telephony": {"clinic_telephony_analytics", "clinic_calldrive_telephony"},
    "clinic_calldrive": {"clinic_calldrive_telephony", "clinic_reminder"},
}


@pytest.mark.parametrize("addon", FEATURE_ADDONS)
def test_o4_uninstall_leaves_the_others_working(addon, ops_db):
    out = cluster.odoo_shell(ops_db, SCRIPT.format(addon=addon))
    line = next((line for line in out.splitlines() if line.startswith("O4-RESULT ")), None)
    assert line, out[-3000:]
    results = json.loads(line[len("O4-RESULT ") :])
    gone = {addon} | TAKES_ALONG.get(addon, set())
    installed = set(results["installed"])
    assert not installed & gone, results
    assert installed == set(FEATURE_ADDONS + ["clinic_base"]) - gone, results
    if "clinic_telephony" in installed:
        assert results["pbx"] == {"statuses": [200, 200, 200], "calls": [["ended", "O4 Patient"]]}
    if "clinic_calldrive" in installed:
        assert results["list_rows"] == ["O4 Patient"]
    if "clinic_reminder" in installed:
        assert results["campaign_messages"] == ["O4 Patient"]
    if "clinic_wallboard" in installed:
        panels = set()
        if "clinic_telephony" in installed:
            panels |= {"phones", "today", "missed"}
        if "clinic_waiting_room" in installed:
            panels.add("rooms")
        if "clinic_reminder" in installed:
            panels.add("reminders")
        assert set(results["board"]) == panels, results
