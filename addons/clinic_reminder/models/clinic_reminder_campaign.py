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

    def _events(self):
        """The campaign's day's appointments to remind, of its own clinic only (C5, R6).

        Patients of another company never appear, whoever runs the campaign (the
        cron runs with full rights): shared patients (no company) and the
        company's own, as the call drive's confirmation list does.
        """
        self.ensure_one()
        start, stop = self.company_id._clinic_day_bounds(self.date)
        return self.env["calendar.event"].search(
            [
                ("patient_id", "!=", False),
                ("patient_id.company_id", "in", [False, self.company_id.id]),
                ("clinic_state", "in", REMINDED_STATES),
                ("start", ">=", start),
                ("start", "<", stop),
            ],
            order="start, id",
        )

    def _build_list(self):
        """The chronological reminder list of the campaign's day."""
        self.ensure_one()
        Line = self.env["clinic.call.list.line"]
        events = self._events()
        numbers = events.patient_id._clinic_numbers_to_reach()
        rows = [Line._vals_for_event(event, numbers=numbers) for event in events]
        self.list_id = self._new_list("reminder", self.name, rows)
        return self.list_id

    def _new_list(self, kind, name, rows):
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

    def _gateway(self, channel):
        """The company's gateway for ``channel``; never another clinic's (R6)."""
        company = self.company_id
        gateway = (
            company.clinic_reminder_messenger_gateway_id
            if channel == "messenger"
            else company.clinic_reminder_sms_gateway_id
        )
        # sudo: clinic.reminder.gateway - compares the gateway's company only
        return gateway if gateway.sudo().company_id == company else gateway.browse()

    def _has_message(self, events, channel):
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

    def _message_vals(self, gateway, line, event, recipients, scheduled):
        """Values of a new message through ``gateway``; the caller checked there is none
        yet, looked up the batch's ``recipients`` (``{patient id: address}``) and when
        it may leave (``scheduled``: the end of quiet hours, or False)."""
        self.ensure_one()
        vals = {
            "campaign_id": self.id,
            "line_id": line.id,
            "event_id": event.id,
            "partner_id": event.patient_id.id,
            "channel": gateway.channel,
            "gateway_id": gateway.id,
            "recipient": recipients.get(event.patient_id.id, False),
        }
        if not vals["recipient"]:
            # Nothing to send to: the message fails at once, which triggers the fallback.
            vals.update(
                state=ms.FAILED,
                error=gateway._not_connected_text(),
                failed_date=fields.Datetime.now(),
            )
        else:
            # C13: queued in quiet hours, it shows when it will leave.
            vals["scheduled_date"] = scheduled
        return vals

    def _leaves_at(self):
        """When a message queued now may leave: False now, or the end of quiet hours."""
        self.ensure_one()
        return self.company_id._clinic_reminder_quiet_until(fields.Datetime.now()) or False

    def _render(self, events):
        template = self.company_id.clinic_reminder_template_id or self.env.ref(
            "clinic_reminder.sms_template_appointment_notification"
        )
        events._clinic_reminder_ensure_token()
        return template._render_field("body", events.ids, compute_lang=True)

    def _queue(self, lines, channel):
        """Queue ``channel`` messages for ``lines`` that have none on it yet (C11: the
        outbox; the dispatcher sends them)."""
        self.ensure_one()
        gateway = self._gateway(channel)
        if not gateway:
            return self.env["clinic.reminder.message"]
        done = self._has_message(lines.event_id, channel)
        lines = lines.filtered(lambda line: line.event_id and line.event_id not in done)
        bodies = self._render(lines.event_id)
        recipients = gateway._recipients(lines.event_id.patient_id)
        scheduled = self._leaves_at()
        vals_list = []
        for line in lines:
            vals = self._message_vals(gateway, line, line.event_id, recipients, scheduled)
            vals["body"] = bodies[line.event_id.id]
            vals_list.append(vals)
        return self.env["clinic.reminder.message"].create(vals_list)

    def _queue_reminders(self, lines):
        """Messenger first; SMS at once for patients the messenger cannot reach (C5)."""
        self.ensure_one()
        channel = "messenger" if self._gateway("messenger") else "sms"
        messages = self._queue(lines, channel)
        return messages | messages._queue_fallback()

    def action_send(self):
        """Build the list if needed and queue the reminders; the dispatcher sends them."""
        self.check_access("write")
        for campaign in self:
            call_list = campaign.list_id or campaign._build_list()
            campaign._queue_reminders(call_list.line_ids)
        return self.action_dispatch_now()

    def action_dispatch_now(self):
        """ "Send now": wake the outbox dispatcher, which sends what is due (C11).

        No provider is called in this request: the dispatcher's cron does it, in
        its own transactions.
        """
        self.check_access("write")
        self.env.ref("clinic_reminder.ir_cron_dispatch").sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": _("The messages due are on their way; their states follow."),
            },
        }

    def _sweep_late(self):
        """Appointments booked or moved into the day after the campaign ran (C13).

        They join the list in chronological order and get their reminder through
        the same outbox; the unique (appointment, channel, campaign) key keeps
        each reminded once, however often the sweep runs.
        """
        self.ensure_one()
        if not self.list_id:
            return self.env["clinic.call.list.line"]
        known = self.list_id.line_ids.event_id
        late = self._events() - known
        if not late:
            return self.env["clinic.call.list.line"]
        Line = self.env["clinic.call.list.line"]
        numbers = late.patient_id._clinic_numbers_to_reach()
        lines = Line.create(
            [
                dict(Line._vals_for_event(event, numbers=numbers), list_id=self.list_id.id)
                for event in late
            ]
        )
        # Keep the list chronological.
        for position, line in enumerate(
            self.list_id.line_ids.sorted(lambda r: (r.event_id.start or r.create_date, r.id)),
            start=1,
        ):
            if line.sequence != position:
                line.sequence = position
        self._queue_reminders(lines)
        return lines

    # ------------------------------------------------------------------
    # Evening SMS and morning follow-up (C7)
    # ------------------------------------------------------------------

    def _unreached_lines(self):
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
            campaign._queue(campaign._unreached_lines(), "sms")
            campaign.evening_sms_date = fields.Datetime.now()
        return True

    def _followup_lines(self):
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
            lines = campaign._followup_lines()
            numbers = lines.partner_id._clinic_numbers_to_reach()
            rows = [Line._vals_for_event(line.event_id, line.partner_id, numbers) for line in lines]
            name = _("Follow-up %(day)s", day=fields.Date.to_string(campaign.date))
            call_list = campaign._new_list("followup", name, rows)
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
            self.with_company(company)._run_company(company)

    @api.model
    def _run_company(self, company):
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
        elif upcoming.list_id:
            upcoming._sweep_late()
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
