from odoo import fields, models


class ClinicCallList(models.Model):
    _inherit = "clinic.call.list"

    kind = fields.Selection(
        selection_add=[("reminder", "Appointment reminders"), ("followup", "Morning follow-up")],
        ondelete={"reminder": "cascade", "followup": "cascade"},
    )
    clinic_reminder_campaign_id = fields.Many2one(
        "clinic.reminder.campaign", "Reminder campaign", readonly=True, index="btree_not_null"
    )
