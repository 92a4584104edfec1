import json
from datetime import timedelta

from odoo import fields
from odoo.addons.clinic_base.tests.common import ClinicMultiCompanyCommon
from odoo.addons.clinic_telephony.tools import events as ev
from odoo.tests import new_test_user

from ..models.clinic_wallboard import _last_notice

NOTIFICATION = "clinic_wallboard/panels"


class WallboardCommon(ClinicMultiCompanyCommon):
    """Two clinics; clinic A has a PBX with two desk phones, a waiting room and
    tomorrow's reminder list; a wallboard user in each clinic."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.board_user = new_test_user(
            cls.env, login="wb_tv", name="Hall TV", groups="clinic_wallboard.group_wallboard"
        )
        cls.board_user_b = new_test_user(
            cls.env,
            login="wb_tv_b",
            groups="clinic_wallboard.group_wallboard",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        cls.pbx = cls.env["clinic.pbx"].create(
            {"name": "Board PBX", "code": "wbpbx", "kind": "webhook", "secret": "wb-secret"}
        )
        Phone = cls.env["clinic.telephony.phone"]
        cls.desk1 = Phone.create({"name": "Desk 1", "extension": "101", "pbx_id": cls.pbx.id})
        cls.desk2 = Phone.create({"name": "Desk 2", "extension": "102", "pbx_id": cls.pbx.id})
        cls.desk1.user_id = cls.operator
        cls.room = cls.env["clinic.waiting.room"].create({"name": "Hall"})
        cls.company_a.clinic_waiting_threshold = 10

    def event(self, call_id, kind, number="030 1234567", extension="101", at=None):
        at = at or fields.Datetime.now()
        return ev.parse_event(
            {
                "event_id": f"{call_id}:{kind}",
                "type": kind,
                "call_id": call_id,
                "direction": "inbound",
                "from": number,
                "to": extension,
                "extension": extension,
                "timestamp": at.isoformat(),
            }
        )

    def ingest(self, env, call_id, *kinds, **kwargs):
        pbx = self.pbx.with_env(env).sudo()
        for kind in kinds:
            pbx._ingest(self.event(call_id, kind, **kwargs), None)

    def arrive(self, entry):
        """The patient checks in and their page's websocket reports them online (W11)."""
        entry.sudo()._patient_checkin(True, True)
        entry.env["bus.presence"].create({"guest_id": entry.guest_id.id, "status": "online"})

    @classmethod
    def tomorrow_visit(cls, patient, hour=10):
        company = cls.env.company
        day = company._clinic_today() + timedelta(days=1)
        start, __ = company._clinic_day_bounds(day)
        start += timedelta(hours=hour)
        return cls.env["calendar.event"].create(
            {"patient_id": patient.id, "start": start, "stop": start + timedelta(minutes=30)}
        )

    @classmethod
    def reminder_list(cls, visits):
        call_list = cls.env["clinic.call.list"].create(
            {"name": "Tomorrow", "kind": "reminder", "date": visits[0].start.date()}
        )
        cls.env["clinic.call.list.line"].create(
            [
                {"list_id": call_list.id, "partner_id": visit.patient_id.id, "event_id": visit.id}
                for visit in visits
            ]
        )
        return call_list

    def setUp(self):
        super().setUp()
        self.last_bus_id = self.env["bus.bus"]._bus_last_id()
        # notices committed by earlier tests of this process do not cover this one's
        _last_notice.clear()

    def pushed(self):
        """``[(channel, payload)]`` of the board pushes the commit would send: runs the
        precommit hooks (the push among them), then reads the bus rows they wrote."""
        self.env.cr.flush()
        found = []
        rows = self.env["bus.bus"].sudo().search([("id", ">", self.last_bus_id)], order="id")
        self.last_bus_id = max(rows.ids, default=self.last_bus_id)
        for values in rows:
            message = json.loads(values.message)
            if message["type"] == NOTIFICATION:
                found.append((json.loads(values.channel), message["payload"]))
        return found
