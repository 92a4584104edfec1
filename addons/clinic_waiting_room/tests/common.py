from odoo.addons.clinic_base.tests.common import ClinicBaseCommon
from odoo.tests import new_test_user


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
    def set_guest_messaging(cls, enabled, company=None):
        (company or cls.env.company).clinic_waiting_guest_messaging = enabled

    @classmethod
    def page_opens(cls, entry, check_in=True):
        """The patient opens their link: checks in, then their page's websocket reports
        the guest online, as Odoo's bus does (``bus.presence``)."""
        if check_in and not entry.checkin_dt:
            entry.sudo()._patient_checkin(True, True)
        presence = cls.env["bus.presence"].search([("guest_id", "=", entry.guest_id.id)])
        if presence:
            presence.status = "online"
        else:
            cls.env["bus.presence"].create({"guest_id": entry.guest_id.id, "status": "online"})

    @classmethod
    def page_closes(cls, entry):
        """What ``ir.websocket._on_websocket_closed`` does for the patient's guest."""
        cls.env["bus.presence"].search([("guest_id", "=", entry.guest_id.id)]).status = "offline"

    def staff_says(self, entry, body, user=None):
        return entry.with_user(user or self.operator).action_notify(body)

    def patient_says(self, entry, body):
        return entry.sudo()._patient_post(body)
