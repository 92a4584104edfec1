from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import quiet_hours


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
    clinic_reminder_quiet_start = fields.Float(
        "Quiet hours from",
        default=21.0,
        help="No reminder leaves from this local time on; it waits in the outbox (C13).",
    )
    clinic_reminder_quiet_end = fields.Float(
        "Quiet hours until",
        default=8.0,
        help="Messages waiting for the night to end go out from this local time (C13).",
    )
    clinic_reminder_messenger_gateway_id = fields.Many2one(
        "clinic.reminder.gateway",
        "Messenger gateway",
        domain="[('channel', '=', 'messenger'), ('company_id', '=', id)]",
    )
    clinic_reminder_sms_gateway_id = fields.Many2one(
        "clinic.reminder.gateway",
        "SMS gateway",
        domain="[('channel', '=', 'sms'), ('company_id', '=', id)]",
    )
    clinic_reminder_template_id = fields.Many2one(
        "sms.template",
        "Reminder template",
        domain=[("model", "=", "calendar.event")],
    )

    @api.constrains("clinic_reminder_messenger_gateway_id", "clinic_reminder_sms_gateway_id")
    def _check_clinic_reminder_gateways(self):
        # R6: a clinic messages its patients through its own gateways only.
        for company in self:
            gateways = (
                company.clinic_reminder_messenger_gateway_id
                | company.clinic_reminder_sms_gateway_id
            )
            # sudo: clinic.reminder.gateway - compares companies, reads nothing else
            if any(gateway.company_id != company for gateway in gateways.sudo()):
                raise ValidationError(_("A clinic can only use its own reminder gateways."))

    def _clinic_reminder_quiet_until(self, now):
        """End (naive UTC) of the quiet hours ``now`` falls in, else None (C13)."""
        self.ensure_one()
        return quiet_hours.quiet_until(
            now,
            self._clinic_tz(),
            self.clinic_reminder_quiet_start,
            self.clinic_reminder_quiet_end,
        )
