from odoo import fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    waiting_entry_ids = fields.One2many("clinic.waiting.entry", "appointment_id", "Visit")

    def action_clinic_waiting_room(self):
        """Put the appointment's patient into the virtual waiting room (once)."""
        self.ensure_one()
        entry = self.waiting_entry_ids[:1] or self.env["clinic.waiting.entry"].create(
            {"patient_id": self.patient_id.id, "appointment_id": self.id}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "clinic.waiting.entry",
            "res_id": entry.id,
            "view_mode": "form",
        }
