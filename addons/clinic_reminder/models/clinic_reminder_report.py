from odoo import fields, models, tools

from .clinic_call_list_line import COLOURS


class ClinicReminderReport(models.Model):
    """One row per reminded appointment, with 0/1 measures to sum in a pivot."""

    _name = "clinic.reminder.report"
    _description = "Reminder campaign report"
    _auto = False
    _order = "date desc"

    campaign_id = fields.Many2one("clinic.reminder.campaign", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date("Appointments of", readonly=True)
    partner_id = fields.Many2one("res.partner", "Patient", readonly=True)
    colour = fields.Selection(COLOURS, readonly=True)
    sent = fields.Integer(readonly=True)
    delivered = fields.Integer(readonly=True)
    confirmed = fields.Integer(readonly=True)
    rescheduled = fields.Integer(readonly=True)
    cancelled = fields.Integer(readonly=True)
    handled_by_phone = fields.Integer("Handled by phone", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE VIEW {self._table} AS (
                SELECT line.id AS id,
                       campaign.id AS campaign_id,
                       campaign.company_id AS company_id,
                       campaign.date AS date,
                       line.partner_id AS partner_id,
                       line.reminder_colour AS colour,
                       (EXISTS (SELECT 1 FROM clinic_reminder_message m
                                 WHERE m.campaign_id = campaign.id AND m.event_id = line.event_id
                                   AND m.state IN ('sent', 'delivered', 'read')))::int AS sent,
                       (EXISTS (SELECT 1 FROM clinic_reminder_message m
                                 WHERE m.campaign_id = campaign.id AND m.event_id = line.event_id
                                   AND m.state IN ('delivered', 'read')))::int AS delivered,
                       (COALESCE(event.clinic_reminder_response, '') = 'confirm')::int AS confirmed,
                       (COALESCE(event.clinic_reminder_response, '') = 'reschedule')::int
                           AS rescheduled,
                       (COALESCE(event.clinic_reminder_response, '') = 'cancel')::int AS cancelled,
                       (line.reminder_handled IS TRUE OR line.state = 'done')::int
                           AS handled_by_phone
                  FROM clinic_reminder_campaign campaign
                  JOIN clinic_call_list_line line ON line.list_id = campaign.list_id
                  JOIN calendar_event event ON event.id = line.event_id
            )
        """)
