import json
from datetime import datetime, timedelta

from odoo.addons.clinic_base.tests.common import ClinicBaseCommon
from odoo.tests import new_test_user

from ..tools import events as ev

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
        return (pbx or self.pbx)._clinic_ingest(ev.parse_body(raw), raw.decode())

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
