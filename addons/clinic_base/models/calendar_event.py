from odoo import api, fields, models

from ..tools import appointment_state as st

CLINIC_STATES = [
    (st.BOOKED, "Booked"),
    (st.CONFIRMED, "Confirmed"),
    (st.RESCHEDULE, "Reschedule requested"),
    (st.CANCELLED, "Cancelled"),
    (st.ARRIVED, "Arrived"),
    (st.DONE, "Done"),
    (st.NO_SHOW, "No-show"),
]


class CalendarEvent(models.Model):
    """An appointment is a calendar event with a patient (SPEC 0)."""

    _name = "calendar.event"
    _inherit = ["calendar.event", "clinic.state.mixin"]

    patient_id = fields.Many2one(
        "res.partner",
        "Patient",
        index="btree_not_null",
        domain=[("is_patient", "=", True)],
        tracking=True,
    )
    practitioner_id = fields.Many2one(
        "res.users",
        "Practitioner",
        domain=[("share", "=", False)],
        tracking=True,
    )
    clinic_state = fields.Selection(
        CLINIC_STATES,
        "Visit status",
        default=st.BOOKED,
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    # Read with the reader's rights (Odoo computes related fields as superuser by
    # default): another company's patient stays hidden behind its appointment (R6).
    patient_birthdate = fields.Date(related="patient_id.birthdate", compute_sudo=False)
    patient_phone = fields.Char(related="patient_id.phone", compute_sudo=False)
    patient_mobile = fields.Char(related="patient_id.mobile", compute_sudo=False)

    @api.onchange("patient_id", "practitioner_id")
    def _onchange_clinic_people(self):
        if self.practitioner_id:
            self.user_id = self.practitioner_id
        partners = (self.patient_id | self.practitioner_id.partner_id) - self.partner_ids
        if partners:
            self.partner_ids |= partners
        if self.patient_id and not self.name:
            self.name = self.patient_id.name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._clinic_complete_vals(vals)
        return super().create(vals_list)

    def _clinic_complete_vals(self, vals):
        """Fill organiser, attendees and title from patient and practitioner."""
        patient = self.env["res.partner"].browse(vals.get("patient_id"))
        practitioner = self.env["res.users"].browse(vals.get("practitioner_id"))
        if practitioner and not vals.get("user_id"):
            vals["user_id"] = practitioner.id
        if patient and not vals.get("name"):
            vals["name"] = patient.name
        extra = (patient | practitioner.partner_id).ids
        if extra:
            vals["partner_ids"] = list(vals.get("partner_ids") or []) + [(4, pid) for pid in extra]

    def _clinic_set_state(self, state):
        """Move the visits to ``state``; refuses moves the clinic does not allow.

        Visits already in ``state`` stay as they are (confirming twice is fine).
        """
        moving = self.filtered(lambda e: e.clinic_state != state)
        moving._clinic_check_transition("clinic_state", st.TRANSITIONS, state)
        moving.write({"clinic_state": state})
        return True

    def action_clinic_confirm(self):
        return self._clinic_set_state(st.CONFIRMED)

    def action_clinic_request_reschedule(self):
        return self._clinic_set_state(st.RESCHEDULE)

    def action_clinic_cancel(self):
        return self._clinic_set_state(st.CANCELLED)

    def action_clinic_arrived(self):
        return self._clinic_set_state(st.ARRIVED)

    def action_clinic_done(self):
        return self._clinic_set_state(st.DONE)

    def action_clinic_no_show(self):
        return self._clinic_set_state(st.NO_SHOW)

    def action_clinic_rebook(self):
        return self._clinic_set_state(st.BOOKED)

    def action_open_patient(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.patient_id.id,
            "view_mode": "form",
        }
