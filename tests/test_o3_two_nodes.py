"""O3: two Odoo nodes (prefork, each with its websocket process) on one database behind
Debian's nginx, configured from deploy/.

* an operator connected through the balancer to one node's websocket process gets
  the call card of a PBX event that entered through the other node;
* a call-list row taken through one node is refused to a colleague on the other.
"""

import json
import ssl
import sys
import time
from pathlib import Path

import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import cluster  # noqa: E402 - tools/cluster.py

SECRET = "o3-two-nodes-secret"
PASSWORDS = {"o3_irina": "o3-irina-Pw!", "o3_jonas": "o3-jonas-Pw!"}

PREPARE = f"""
import json
env = env(context=dict(env.context, tracking_disable=True))
env.company.country_id = env.ref("base.de")
pbx = env["clinic.pbx"].create(
    {{"name": "O3 PBX", "code": "o3", "kind": "webhook", "secret": {SECRET!r}}}
)
phone = env["clinic.telephony.phone"].create(
    {{"name": "O3 desk", "extension": "301", "pbx_id": pbx.id}}
)
users = {{}}
for login, password in {PASSWORDS!r}.items():
    users[login] = env["res.users"].create({{
        "name": login, "login": login, "password": password,
        "groups_id": [(6, 0, [env.ref("clinic_base.group_clinic_operator").id])],
    }})
    users[login].clinic_telephony_allowed = True
phone.user_id = users["o3_irina"]
patient = env["res.partner"].create(
    {{"name": "Anna Schmidt", "is_patient": True, "phone": "030 1234567"}}
)
call_list = env["clinic.call.list"].create(
    {{"name": "O3 list", "line_ids": [(0, 0, {{"partner_id": patient.id}})]}}
)
env.cr.commit()
print("O3-DATA " + json.dumps({{"line": call_list.line_ids.id, "patient": patient.id}}))
"""


def prepare(db):
    out = cluster.odoo_shell(db, PREPARE)
    line = next(line for line in out.splitlines() if line.startswith("O3-DATA "))
    return json.loads(line[len("O3-DATA ") :])


def login(base, db, login_name, verify):
    session = requests.Session()
    # the cluster's own certificate, whatever REQUESTS_CA_BUNDLE says
    session.trust_env = False
    session.verify = verify
    answer = session.post(
        f"{base}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": db, "login": login_name, "password": PASSWORDS[login_name]},
        },
        timeout=60,
    ).json()
    assert answer.get("result", {}).get("uid"), answer
    return session


def call_kw(session, base, model, method, args, kwargs=None):
    return session.post(
        f"{base}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        },
        timeout=60,
    ).json()


def signed_event(body):
    from odoo.addons.clinic_base.tools.signature import sign

    raw = json.dumps(body).encode()
    timestamp = str(int(time.time()))
    return raw, {
        "Content-Type": "application/json",
        "X-Clinic-Timestamp": timestamp,
        "X-Clinic-Signature": sign(SECRET, timestamp, raw),
    }


def open_websocket(nodes, session):
    """The operator's websocket through nginx; returns it and the node that serves it."""
    from odoo.addons.bus.websocket import WebsocketConnectionHandler

    ws = websocket.create_connection(
        f"wss://127.0.0.1:{nodes.listen}/websocket?version={WebsocketConnectionHandler._VERSION}",
        sslopt={"ca_certs": nodes.ca_file, "cert_reqs": ssl.CERT_REQUIRED},
        origin=nodes.url,
        cookie=f"session_id={session.cookies['session_id']}",
        timeout=5,
    )
    upstream = ws.getheaders().get("x-clinic-upstream", "")
    served_by = [gevent for _http, gevent in nodes.ports].index(int(upstream.rsplit(":", 1)[1]))
    ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
    return ws, served_by


def wait_for_card(ws, pbx_call_id, seconds=60):
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            continue
        for notification in json.loads(frame):
            message = notification.get("message", {})
            seen.append(message.get("type"))
            payload = message.get("payload") or {}
            if message.get("type") == "clinic_telephony/call" and payload.get("id"):
                return payload
    raise AssertionError(f"no call card for {pbx_call_id} within {seconds} s; got {seen}")


def test_o3_two_nodes_behind_nginx(ops_db, tmp_path):
    data = prepare(ops_db)
    # the test sees which node served a request; the shipped site does not say it
    extra = "\n    add_header X-Clinic-Upstream $upstream_addr always;"
    with cluster.Cluster(ops_db, tmp_path, nodes=2, extra_nginx=extra) as nodes:
        irina = login(nodes.url, ops_db, "o3_irina", nodes.ca_file)
        ws, served_by = open_websocket(nodes, irina)
        try:
            # the PBX event enters through the OTHER node
            other = nodes.nodes[1 - served_by]
            body = {
                "event_id": "o3-ring-1",
                "type": "call.ringing",
                "call_id": "o3-call-1",
                "direction": "inbound",
                "from": "030 1234567",
                "to": "301",
                "extension": "301",
                "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
            }
            raw, headers = signed_event(body)
            answer = requests.post(
                f"{other}/clinic/telephony/o3/events", data=raw, headers=headers, timeout=60
            )
            assert answer.status_code == 200, answer.text
            card = wait_for_card(ws, "o3-call-1")
        finally:
            ws.close()
        assert card["state"] == "ringing"
        assert card["partner"]["id"] == data["patient"]

        # a row taken through one node is refused to a colleague on the other
        node_a, node_b = nodes.nodes
        irina_a = login(node_a, ops_db, "o3_irina", True)
        jonas_b = login(node_b, ops_db, "o3_jonas", True)
        model, row, manual = "clinic.call.list.line", [[data["line"]]], {"manual": True}
        taken = call_kw(irina_a, node_a, model, "action_start_call", row, manual)
        assert "error" not in taken, taken
        refused = call_kw(jonas_b, node_b, model, "action_start_call", row, manual)
        # refused with the holder's name (a UserError: clinic_calldrive's LineLockedError)
        assert "o3_irina" in refused.get("error", {}).get("data", {}).get("message", ""), refused
        # and nginx spread the operators' requests over both nodes
        upstreams = {
            irina.get(f"{nodes.url}/web/health", timeout=30).headers["X-Clinic-Upstream"]
            for _ in range(4)
        }
        assert len(upstreams) == 2, upstreams
