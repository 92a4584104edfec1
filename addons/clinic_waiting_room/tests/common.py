from odoo.addons.clinic_base.tests.common import ClinicBaseCommon
from odoo.tests import new_test_user

from ..models.clinic_waiting_entry import PARAM_GUEST_MESSAGING


class WaitingRoomCommon(ClinicBaseCommon):
    """A waiting room with two patients in it and guest messaging enabled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.room = cls.env.ref("clinic_waiting_room.waiting_room_main")
        cls.operator2 = new_test_user(
            cls.env, login="clinic_operator2", groups="clinic_base.group_clinic_operator"
        )
        cls.set_guest_messaging(True)
        Entry = cls.env["clinic.waiting.entry"]
        cls.entry_anna = Entry.create({"patient_id": cls.anna.id, "room_id": cls.room.id})
        cls.entry_boris = Entry.create({"patient_id": cls.boris.id, "room_id": cls.room.id})

    @classmethod
    def set_guest_messaging(cls, enabled):
        cls.env["ir.config_parameter"].sudo().set_param(
            PARAM_GUEST_MESSAGING, "True" if enabled else ""
        )

    def staff_says(self, entry, body, user=None):
        return entry.with_user(user or self.operator).action_notify(body)

    def patient_says(self, entry, body):
        return entry.sudo()._patient_post(body)
