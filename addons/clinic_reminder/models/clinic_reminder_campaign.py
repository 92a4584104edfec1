from datetime import timedelta

import pytz

from odoo import _, api, fields, models
from odoo.addons.clinic_base.tools import appointment_state as st
from odoo.exceptions import UserError

from ..tools import colour as colour_rules
from ..tools import message_state as ms

# Appointments that get a reminder (C5): visits still booked or already confirmed.
REMINDED_STATES = (st.BOOKED, st.CONFIRMED)
# Follow-up (C7): appointments whose patient has not confirmed and that still stand.
UNCONFIRMED_STATES = (st.BOOKED, st.RESCHEDULE)


class ClinicReminderCampaign(models.Model):
    """The reminders of one company for one day's appointments (C5-C7)."""

    _name = "clinic.reminder.campaign"
    _description = "Reminder campaign"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date = fields.Date("Appointments of", required=True, index=True)
    list_id = fields.Many2one("clinic.call.list", "Reminder list", readonly=True)
    followup_list_id = fields.Many2one("clinic.call.list", "Follow-up list", readonly=True)
    line_ids = fields.One2many(related="list_id.line_ids")
    message_ids = fields.One2many("clinic.reminder.message", "campaign_id", "Messages")
    evening_sms_date = fields.Datetime("Evening SMS sent", readonly=True)
    message_count = fields.Integer(compute="_compute_message_count")

    _sql_constraints = [
        (
            "company_date_uniq",
            "unique(company_id, date)",
            "There is already a reminder campaign for this day.",
        ),
    ]

    @api.depends("date")
    def _compute_name(self):
        for campaign in self:
            campaign.name = _("Reminders %(day)s", day=fields.Date.to_string(campaign.date))

    def _compute_message_count(self):
        counts = dict(
            self.env["clinic.reminder.message"]._read_group(
                [("campaign_id", "in", self.ids)], ["campaign_id"], ["__count"]
            )
        )
        for campaign in self:
            campaign.message_count = counts.get(campaign, 0)

    # ------------------------------------------------------------------
    # Building and sending (C5)
    # ------------------------------------------------------------------

    def _clinic_events(self):
        self.ensure_one()
        start, stop = self.company_id._clinic_day_bounds(self.date)
        return self.env["calendar.event"].search(
            [
                ("patient_id", "!=", False),
                ("clinic_state", "in", REMINDED_STATES),
                ("start", ">=", start),
                ("start", "<", stop),
            ],
            order="start, id",
        )

    def _clinic_build_list(self):
        """The chronological reminder list of the campaign's day."""
        self.ensure_one()
        Line = self.env["clinic.call.list.line"]
        events = self._clinic_events()
        numbers = events.patient_id._clinic_numbers_to_reach()
        rows = [Line._vals_for_event(event, numbers=numbers) for event in events]
        self.list_id = self._clinic_new_list("reminder", self.name, rows)
        return self.list_id

    def _clinic_new_list(self, kind, name, rows):
        """A call list of this campaign's day holding ``rows`` (row values, in calling order)."""
        self.ensure_one()
        call_list = self.env["clinic.call.list"].create(
            {
                "name": name,
                "kind": kind,
                "date": self.date,
                "company_id": self.company_id.id,
                "clinic_reminder_campaign_id": self.id,
            }
        )
        self.env["clinic.call.list.line"].create(
            [
                dict(vals, list_id=call_list.id, sequence=position)
                for position, vals in enumerate(rows, start=1)
            ]
        )
        return call_list

    def _clinic_gateway(self, channel):
        company = self.company_id
        return (
            company.clinic_reminder_messenger_gateway_id
            if channel == "messenger"
            else company.clinic_reminder_sms_gateway_id
        )

    def _clinic_has_message(self, events, channel):
        """Events among ``events`` that already have a ``channel`` message here (C10)."""
        self.ensure_one()
        return (
            self.env["clinic.reminder.message"]
            .search(
                [
                    ("campaign_id", "=", self.id),
                    ("event_id", "in", events.ids),
                    ("channel", "=", channel),
                ]
            )
            .event_id
        )

    def _clinic_message_vals(self, line, event, channel, recipients=None):
        """Values of a new ``channel`` message; the caller checked there is none yet.

        ``recipients``: the gateway's ``{patient id: address}`` when the caller
        looked up a whole batch at once.
        """
        self.ensure_one()
        gateway = self._clinic_gateway(channel)
        if recipients is None:
            recipients = gateway._clinic_recipients(event.patient_id)
        vals = {
            "campaign_id": self.id,
            "line_id": line.id,
            "event_id": event.id,
            "partner_id": event.patient_id.id,
            "channel": channel,
            "gateway_id": gateway.id,
            "recipient": recipients.get(event.patient_id.id, False),
        }
        if not vals["recipient"]:
            # Nothing to send to: the message fails at once, which triggers the fallback.
            vals.update(
                state=ms.FAILED,
                error=gateway._clinic_not_connected_text(),
                failed_date=fields.Datetime.now(),
            )
        return vals

    def _clinic_render(self, events):
        template = self.company_id.clinic_reminder_template_id or self.env.ref(
            "clinic_reminder.sms_template_appointment_notification"
        )
        events._clinic_reminder_ensure_token()
        return template._render_field("body", events.ids, compute_lang=True)

    def _clinic_queue(self, lines, channel):
        """Queue ``channel`` messages for ``lines`` that have none on it yet."""
        self.ensure_one()
        if not self._clinic_gateway(channel):
            return self.env["clinic.reminder.message"]
        done = self._clinic_has_message(lines.event_id, channel)
        lines = lines.filtered(lambda line: line.event_id and line.event_id not in done)
        bodies = self._clinic_render(lines.event_id)
        recipients = self._clinic_gateway(channel)._clinic_recipients(lines.event_id.patient_id)
        vals_list = []
        for line in lines:
            vals = self._clinic_message_vals(line, line.event_id, channel, recipients)
            vals["body"] = bodies[line.event_id.id]
            vals_list.append(vals)
        return self.env["clinic.reminder.message"].create(vals_list)

    def action_send(self):
        """Build the list if needed and send: messenger first, SMS where it cannot reach."""
        for campaign in self:
            call_list = campaign.list_id or campaign._clinic_build_list()
            channel = (
                "messenger" if campaign.company_id.clinic_reminder_messenger_gateway_id else "sms"
            )
            messages = campaign._clinic_queue(call_list.line_ids, channel)
            failed = messages.filtered(lambda m: m.state == ms.FAILED)
            # Not connected to the messenger: straight to SMS.
            (messages - failed)._clinic_dispatch()
            failed._clinic_queue_fallback()._clinic_dispatch()
        return True

    # ------------------------------------------------------------------
    # Evening SMS and morning follow-up (C7)
    # ------------------------------------------------------------------

    def _clinic_unreached_lines(self):
        """Rows still grey or blue: no answer from the patient, nobody called."""
        self.ensure_one()
        return self.list_id.line_ids.filtered(
            lambda line: (
                line.state == "todo"
                and line.reminder_colour in (colour_rules.GREY, colour_rules.BLUE)
            )
        )

    def action_evening_sms(self):
        """Still blue (or grey) in the evening: an SMS goes out as well (C7)."""
        for campaign in self:
            campaign._clinic_queue(campaign._clinic_unreached_lines(), "sms")._clinic_dispatch()
            campaign.evening_sms_date = fields.Datetime.now()
        return True

    def _clinic_followup_lines(self):
        """Rows reminded the evening before whose patient has not confirmed (C7)."""
        self.ensure_one()
        reminded = self.message_ids.filtered(lambda m: m.state != ms.FAILED).event_id
        return self.list_id.line_ids.filtered(
            lambda line: (
                line.event_id in reminded
                and not line.reminder_handled
                and line.event_id.clinic_state in UNCONFIRMED_STATES
                and line.event_id.clinic_reminder_response != "confirm"
            )
        )

    def action_build_followup(self):
        for campaign in self:
            if campaign.followup_list_id:
                raise UserError(_("The follow-up list of %s exists already.", campaign.name))
            Line = self.env["clinic.call.list.line"]
            lines = campaign._clinic_followup_lines()
            numbers = lines.partner_id._clinic_numbers_to_reach()
            rows = [Line._vals_for_event(line.event_id, line.partner_id, numbers) for line in lines]
            name = _("Follow-up %(day)s", day=fields.Date.to_string(campaign.date))
            call_list = campaign._clinic_new_list("followup", name, rows)
            campaign.followup_list_id = call_list
        return True

    # ------------------------------------------------------------------
    # Scheduler
    # ------------------------------------------------------------------

    @api.model
    def _cron_run(self):
        """Every few minutes: do whatever each company's local clock calls for.

        * from the campaign time: tomorrow's campaign, once (unique per day);
        * from the evening time: SMS to the rows still not reached by then;
        * from the morning time: the follow-up list of today's appointments.
        """
        companies = (
            self.env["res.company"]
            .search([])
            .filtered(
                lambda c: c.clinic_reminder_messenger_gateway_id or c.clinic_reminder_sms_gateway_id
            )
        )
        for company in companies:
            self.with_company(company)._clinic_run_company(company)

    @api.model
    def _clinic_run_company(self, company):
        tz = pytz.timezone(company._clinic_tz())
        local = pytz.utc.localize(fields.Datetime.now()).astimezone(tz)
        hour = local.hour + local.minute / 60
        today, tomorrow = local.date(), local.date() + timedelta(days=1)
        campaigns = self.search(
            [("company_id", "=", company.id), ("date", "in", (today, tomorrow))]
        )
        current = campaigns.filtered(lambda c: c.date == today)
        upcoming = campaigns.filtered(lambda c: c.date == tomorrow)
        if (
            hour >= company.clinic_reminder_followup_hour
            and current
            and not (current.followup_list_id)
        ):
            current.action_build_followup()
        if hour >= company.clinic_reminder_hour and not upcoming:
            upcoming = self.create({"company_id": company.id, "date": tomorrow})
            upcoming.action_send()
        if (
            hour >= company.clinic_reminder_evening_hour
            and upcoming
            and not upcoming.evening_sms_date
        ):
            upcoming.action_evening_sms()

    def action_open_list(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "clinic_reminder.action_reminder_lines"
        )
        action["domain"] = [("list_id", "=", self.list_id.id)]
        return action
