import uuid
from datetime import datetime, timedelta

from odoo.tests import new_test_user

ANSWERED = ("incoming", "outgoing")
INBOUND = ("incoming", "missed")


class AnalyticsCommon:
    """A clinic in Germany, two bound administrators, a supervisor and a manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.company.country_id = cls.env.ref("base.de")
        cls.pbx = cls.env["clinic.pbx"].create(
            {"name": "Analytics PBX", "code": "anl", "kind": "simulator"}
        )
        cls.irina = new_test_user(
            cls.env, login="anl_irina", name="Irina", groups="clinic_base.group_clinic_operator"
        )
        cls.jonas = new_test_user(
            cls.env, login="anl_jonas", name="Jonas", groups="clinic_base.group_clinic_operator"
        )
        cls.supervisor = new_test_user(
            cls.env, login="anl_supervisor", groups="clinic_telephony.group_call_history"
        )
        cls.manager = new_test_user(
            cls.env, login="anl_manager", groups="clinic_base.group_clinic_manager"
        )
        (cls.irina | cls.jonas).clinic_telephony_allowed = True
        cls.patient = cls.env["res.partner"].create(
            {"name": "Anna Schmidt", "is_patient": True, "phone": "030 1234567"}
        )

    @classmethod
    def make_call(cls, user, call_type, start, talk=0, state="ended"):
        """A call as clinic_telephony stores it once its events are folded."""
        answered = call_type in ANSWERED
        start = start if isinstance(start, datetime) else datetime.fromisoformat(start)
        answer = start + timedelta(seconds=5) if answered else False
        return cls.env["clinic.call"].create(
            {
                "pbx_id": cls.pbx.id,
                "pbx_call_id": str(uuid.uuid4()),
                "direction": "inbound" if call_type in INBOUND else "outbound",
                "state": state,
                "start_date": start,
                "answer_date": answer,
                "end_date": (answer or start) + timedelta(seconds=talk)
                if state in ("ended", "failed")
                else False,
                "talk_duration": talk,
                "user_id": user.id if user else False,
                "partner_id": cls.patient.id,
                "number_e164": "+49301234567",
            }
        )

    @classmethod
    def book(cls, call=None, user=None, start="2026-03-20 09:00:00", **ctx):
        """An appointment for the patient, created as ``user`` from ``call``'s card."""
        Event = cls.env["calendar.event"].with_user(user or cls.env.user)
        if call:
            Event = Event.with_context(default_clinic_call_id=call.id, **ctx)
        start = datetime.fromisoformat(start)
        return Event.create(
            {
                "name": "Visit",
                "patient_id": cls.patient.id,
                "start": start,
                "stop": start + timedelta(minutes=30),
            }
        )

    @classmethod
    def set_tag_settings(cls, enabled=True, mode="no_booking", company=None):
        (company or cls.env.company).write(
            {"clinic_call_tags": enabled, "clinic_call_tag_mode": mode}
        )
