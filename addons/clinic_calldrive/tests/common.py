from datetime import datetime, time, timedelta

from odoo import fields
from odoo.addons.clinic_base.tests.common import ClinicBaseCommon
from odoo.tests import new_test_user


class CallDriveCommon(ClinicBaseCommon):
    """Two operators, a manager, tomorrow's appointments and the shipped results."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "UTC"
        cls.env.company.clinic_tz = "UTC"  # the clinic's days (C13), like its people's
        cls.operator.write({"name": "Olga Operator", "tz": "UTC"})
        cls.operator2 = new_test_user(
            cls.env,
            login="clinic_operator2",
            name="Otto Operator",
            tz="UTC",
            groups="clinic_base.group_clinic_operator",
        )
        cls.manager = new_test_user(
            cls.env,
            login="clinic_manager",
            name="Mara Manager",
            tz="UTC",
            groups="clinic_base.group_clinic_manager",
        )
        cls.tomorrow = fields.Date.context_today(cls.env.user) + timedelta(days=1)
        cls.carl = cls.env["res.partner"].create(
            {"name": "Carl Weber", "is_patient": True, "phone": "030 7654321"}
        )
        Event = cls.env["calendar.event"]
        cls.event_anna = Event.create(cls._appointment(cls.anna, 14))
        cls.event_boris = Event.create(cls._appointment(cls.boris, 9))
        cls.event_carl = Event.create(cls._appointment(cls.carl, 11))
        cls.result_confirmed = cls.env.ref("clinic_calldrive.result_confirmed")
        cls.result_done = cls.env.ref("clinic_calldrive.result_done")
        cls.result_task_done = cls.env.ref("clinic_calldrive.result_task_done")
        cls.result_no_answer = cls.env.ref("clinic_calldrive.result_no_answer")
        cls.result_call_back = cls.env.ref("clinic_calldrive.result_call_back")

    @classmethod
    def _appointment(cls, patient, hour, day=None):
        start = datetime.combine(day or cls.tomorrow, time(hour))
        return {
            "patient_id": patient.id,
            "practitioner_id": cls.practitioner.id,
            "start": start,
            "stop": start + timedelta(minutes=30),
        }

    def _confirmation_list(self):
        return self.env["clinic.call.list"]._fill_confirmation(self.tomorrow)

    def _line_of(self, call_list, patient):
        return call_list.line_ids.filtered(lambda line: line.partner_id == patient)
