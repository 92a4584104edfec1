from odoo import fields, models


class ClinicSettings(models.TransientModel):
    """Reminder campaigns block of the clinic settings (issue 17.1)."""

    _inherit = "clinic.settings"

    clinic_reminder_hour = fields.Float(related="company_id.clinic_reminder_hour", readonly=False)
    clinic_reminder_evening_hour = fields.Float(
        related="company_id.clinic_reminder_evening_hour", readonly=False
    )
    clinic_reminder_followup_hour = fields.Float(
        related="company_id.clinic_reminder_followup_hour", readonly=False
    )
    clinic_reminder_quiet_start = fields.Float(
        related="company_id.clinic_reminder_quiet_start", readonly=False
    )
    clinic_reminder_quiet_end = fields.Float(
        related="company_id.clinic_reminder_quiet_end", readonly=False
    )
    clinic_reminder_messenger_gateway_id = fields.Many2one(
        related="company_id.clinic_reminder_messenger_gateway_id", readonly=False
    )
    clinic_reminder_sms_gateway_id = fields.Many2one(
        related="company_id.clinic_reminder_sms_gateway_id", readonly=False
    )
    clinic_reminder_template_id = fields.Many2one(
        related="company_id.clinic_reminder_template_id", readonly=False
    )
