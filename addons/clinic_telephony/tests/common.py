import json
import socket
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from odoo.addons.bus.models.bus import channel_with_db, json_dump
from odoo.addons.clinic_base.tests.common import ClinicBaseCommon
from odoo.tests import new_test_user
from odoo.tests.common import _super_send

from ..tools import events as ev
from ..tools import simulator

T0 = datetime(2026, 3, 2, 9, 0, 0)


def event_dict(event_id, kind, call_id, at=T0, direction="inbound", **extra):
    """A webhook body (dict) as the SPEC T2 contract describes it."""
    body = {
        "event_id": event_id,
        "type": kind,
        "call_id": call_id,
        "direction": direction,
        "from": "030 1234567" if direction == "inbound" else "101",
        "to": "101" if direction == "inbound" else "030 1234567",
        "extension": "101",
        "timestamp": at.isoformat() + "Z",
    }
    body.update(extra)
    return body


class FakePbx(simulator.CommandListener):
    """A webhook PBX's command endpoint on 127.0.0.1 (T12), with the simulator's checks.

    Records the commands it accepted. ``status`` makes it answer with that HTTP
    status instead of 202 (after checking the request, as a PBX that fails
    internally would); ``delay`` makes it answer that many seconds late.
    """

    def __init__(self, secret):
        self.received = []
        self.requests = 0
        self.status = None
        self.delay = 0
        super().__init__(secret, self.received.append)
        # A test's client that gave up waiting is expected, not an error to print.
        self.server.handle_error = lambda request, client_address: None

    def receive(self, path, headers, raw):
        self.requests += 1
        if self.delay:
            time.sleep(self.delay)
        status, answer = super().receive(path, headers, raw)
        if self.status and status < 300:
            self.received.pop()
            self.seen.clear()
            return self.status, {"status": "error", "error": "internal error"}
        return status, answer


def closed_port_url():
    """An http:// address on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/commands"


class TelephonyCommon(ClinicBaseCommon):
    """A PBX with two desk phones, a linked operator at phone 101 and patients.

    From clinic_base: Anna (030 1234567, 0151 23456789), Boris (+7 916 ...).
    Here: the Meier twins share a family landline.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pbx = cls.env["clinic.pbx"].create(
            {"name": "Test PBX", "code": "test", "kind": "webhook", "secret": "s3cret"}
        )
        cls.source = cls.env["clinic.pbx.source"].create(
            {"pbx_id": cls.pbx.id, "name": "ProDoctors", "source_code": "prodoctors"}
        )
        Phone = cls.env["clinic.telephony.phone"]
        cls.phone1 = Phone.create(
            {"name": "Front desk 1", "extension": "101", "pbx_id": cls.pbx.id}
        )
        cls.phone2 = Phone.create(
            {"name": "Front desk 2", "extension": "102", "pbx_id": cls.pbx.id}
        )
        cls.operator.clinic_telephony_allowed = True
        cls.operator2 = new_test_user(
            cls.env, login="clinic_operator2", groups="clinic_base.group_clinic_operator"
        )
        cls.operator2.clinic_telephony_allowed = True
        cls.historian = new_test_user(
            cls.env, login="clinic_historian", groups="clinic_telephony.group_call_history"
        )
        cls.phone1.user_id = cls.operator
        Partner = cls.env["res.partner"]
        cls.meier_a = Partner.create(
            {
                "name": "Lena Meier",
                "is_patient": True,
                "birthdate": "2015-05-01",
                "phone": "+49 40 5551234",
            }
        )
        cls.meier_b = Partner.create(
            {
                "name": "Paul Meier",
                "is_patient": True,
                "birthdate": "2017-07-09",
                "phone": "040 5551234",
            }
        )

    def ingest(self, body, pbx=None):
        """Feed one event through the same model path as the webhook."""
        raw = json.dumps(body).encode()
        return (pbx or self.pbx)._ingest(ev.parse_body(raw), raw.decode())

    def call(self, call_id, pbx=None):
        return self.env["clinic.call"].search(
            [("pbx_id", "=", (pbx or self.pbx).id), ("pbx_call_id", "=", call_id)]
        )

    def bus_payloads(self, notification_type, partner=None):
        """Payloads queued on the bus (sent on commit) of one type, optionally to one partner."""
        found = []
        for values in self.env.cr.precommit.data.get("bus.bus.values", []):
            message = json.loads(values["message"])
            channel = json.loads(values["channel"])
            if message["type"] != notification_type:
                continue
            if partner and channel[1:] != ["res.partner", partner.id]:
                continue
            found.append(message["payload"])
        return found

    def clear_bus(self):
        self.env.cr.precommit.data.get("bus.bus.values", []).clear()

    def play(self, call_id, kinds, start=T0, **extra):
        """Ingest ``kinds`` one second apart for one call."""
        for offset, kind in enumerate(kinds):
            self.ingest(
                event_dict(
                    f"{call_id}-{kind}", kind, call_id, start + timedelta(seconds=offset), **extra
                )
            )
        return self.call(call_id)


class PbxTimeoutMixin:
    """Odoo's tests raise every HTTP timeout to 10 s; the PBX command's own timeout
    (5 s, SPEC T12) is what is under test, so requests to the fake PBXs keep theirs."""

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if urlsplit(r.url).port in cls._pbx_ports():
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def _pbx_ports(cls):
        return {pbx.server.server_address[1] for pbx in getattr(cls, "_fake_pbxs", ())}

    @classmethod
    def start_fake_pbx(cls, secret):
        pbx = FakePbx(secret).start()
        cls.addClassCleanup(pbx.stop)
        cls._fake_pbxs = (*getattr(cls, "_fake_pbxs", ()), pbx)
        return pbx


class CommandsMixin(PbxTimeoutMixin):
    """Click-to-call reaches a local PBX (T12). Fresh cursors (intent, outcome) join
    the test's transaction: the registry is put in test mode for each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake_pbx = cls.start_fake_pbx("s3cret")
        cls.pbx.command_url = cls.fake_pbx.url

    def setUp(self):
        super().setUp()
        self.fake_pbx.received.clear()
        self.fake_pbx.seen.clear()
        self.fake_pbx.requests = 0
        self.fake_pbx.status = None
        self.fake_pbx.delay = 0
        if self.registry.test_cr is None:
            self.registry.enter_test_mode(self.cr)
            self.addCleanup(self.registry.leave_test_mode)

    def sent_cards(self, partner):
        """Call cards sent to ``partner``, including by transactions of their own
        (already bus.bus rows), in order."""
        channel = json_dump(channel_with_db(self.env.cr.dbname, partner))
        rows = self.env["bus.bus"].sudo().search([("channel", "=", channel)], order="id")
        messages = [json.loads(row.message) for row in rows]
        cards = [m["payload"] for m in messages if m["type"] == "clinic_telephony/call"]
        return cards + self.bus_payloads("clinic_telephony/call", partner)
