from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    clinic_reminder_hour = fields.Float(
        "Reminder campaign time",
        default=12.0,
        help="Local time (company time zone) from which tomorrow's reminders go out (C5).",
    )
    clinic_reminder_evening_hour = fields.Float(
        "Evening SMS time",
        default=19.0,
        help="Rows still not confirmed then get an SMS as well (C7).",
    )
    clinic_reminder_followup_hour = fields.Float(
        "Morning follow-up time",
        default=8.0,
        help="The follow-up list of unconfirmed patients is built at this time (C7).",
    )
    clinic_reminder_messenger_gateway_id = fields.Many2one(
        "clinic.reminder.gateway",
        "Messenger gateway",
        domain=[("channel", "=", "messenger")],
    )
    clinic_reminder_sms_gateway_id = fields.Many2one(
        "clinic.reminder.gateway", "SMS gateway", domain=[("channel", "=", "sms")]
    )
    clinic_reminder_template_id = fields.Many2one(
        "sms.template",
        "Reminder template",
        domain=[("model", "=", "calendar.event")],
    )
