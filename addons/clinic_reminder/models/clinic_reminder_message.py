import uuid
from collections import defaultdict

from odoo import api, fields, models

from ..tools import message_state as ms
from .clinic_reminder_gateway import CHANNELS

STATES = [
    (ms.QUEUED, "Queued"),
    (ms.SENT, "Sent"),
    (ms.DELIVERED, "Delivered"),
    (ms.READ, "Read"),
    (ms.FAILED, "Failed"),
]
STATE_DATE = {
    ms.SENT: "sent_date",
    ms.DELIVERED: "delivered_date",
    ms.READ: "read_date",
    ms.FAILED: "failed_date",
}


class ClinicReminderMessage(models.Model):
    """One reminder sent (or to send) to one patient through one gateway (C5, C9, C10)."""

    _name = "clinic.reminder.message"
    _description = "Reminder message"
    _order = "id desc"
    _rec_name = "recipient"

    campaign_id = fields.Many2one(
        "clinic.reminder.campaign", required=True, ondelete="cascade", index=True
    )
    line_id = fields.Many2one("clinic.call.list.line", ondelete="set null", index=True)
    event_id = fields.Many2one("calendar.event", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", "Patient", required=True, index=True)
    channel = fields.Selection(CHANNELS, required=True)
    gateway_id = fields.Many2one("clinic.reminder.gateway", required=True, ondelete="restrict")
    recipient = fields.Char()
    body = fields.Text()
    is_template = fields.Boolean(
        default=True, help="Sent from an approved template (allowed outside messenger windows)."
    )
    reference = fields.Char(
        required=True,
        copy=False,
        default=lambda self: uuid.uuid4().hex,
        help="Our idempotency key: the provider sends a repeated reference only once.",
    )
    provider_message_id = fields.Char(index="btree_not_null", copy=False)
    state = fields.Selection(STATES, required=True, default=ms.QUEUED, index=True)
    error = fields.Char()
    sent_date = fields.Datetime()
    delivered_date = fields.Datetime()
    read_date = fields.Datetime()
    failed_date = fields.Datetime()

    _sql_constraints = [
        # C10: one message per appointment, channel and campaign, whoever queues it.
        (
            "event_channel_campaign_uniq",
            "unique(event_id, channel, campaign_id)",
            "This appointment already has a reminder on this channel.",
        ),
        ("reference_uniq", "unique(reference)", "Message references are unique."),
    ]

    # ------------------------------------------------------------------
    # Dispatch
    # ------------------------------------------------------------------

    def _clinic_claim(self):
        """Lock the queued messages among ``self`` that nobody else is sending."""
        if not self:
            return self
        self.flush_recordset(["state"])
        self.env.cr.execute(
            """SELECT id FROM clinic_reminder_message
                WHERE id IN %s AND state = 'queued'
                ORDER BY id
                  FOR UPDATE SKIP LOCKED""",
            [tuple(self.ids)],
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _clinic_dispatch(self):
        """Send the queued messages among ``self``; failed messenger sends fall back to SMS."""
        claimed = self._clinic_claim()
        now = fields.Datetime.now()
        by_gateway = defaultdict(list)
        for message in claimed:
            by_gateway[message.gateway_id].append(message)
        outcomes = defaultdict(list)  # (state, error) -> message ids
        for gateway, messages in by_gateway.items():
            accepted, refused = gateway._clinic_send_all(messages)
            for message in messages:
                if message.id in accepted:
                    provider_id, state = accepted[message.id]
                    # No field depends on the provider id: a cheap per-record write.
                    message.provider_message_id = provider_id
                    outcomes[(state, False)].append(message.id)
                else:
                    outcomes[(ms.FAILED, refused[message.id][:200])].append(message.id)
        # States in a few batched writes: each write recomputes the rows' colours.
        for (state, error), ids in outcomes.items():
            self.browse(ids).write(
                {"state": state, "error": error, "sent_date": now, STATE_DATE[state]: now}
            )
        failed = claimed.filtered(lambda m: m.state == ms.FAILED)
        fallback = failed._clinic_queue_fallback()
        if fallback:
            fallback._clinic_dispatch()
        claimed.line_id._reminder_notify()
        return claimed

    def _clinic_queue_fallback(self):
        """SMS for failed messenger messages whose appointment has none yet (C5, C10).

        Batched per campaign: a campaign whose messenger reaches few patients
        falls back for thousands of them at once (P4).
        """
        failed = self.filtered(lambda m: m.channel == "messenger" and m.state == ms.FAILED)
        vals_list = []
        for campaign, messages in failed.grouped("campaign_id").items():
            gateway = campaign._clinic_gateway("sms")
            if not gateway:
                continue
            done = campaign._clinic_has_message(messages.event_id, "sms")
            messages = messages.filtered(lambda m, done=done: m.event_id not in done)
            recipients = gateway._clinic_recipients(messages.event_id.patient_id)
            for message in messages:
                vals = campaign._clinic_message_vals(
                    message.line_id, message.event_id, "sms", recipients
                )
                vals["body"] = message.body
                vals_list.append(vals)
        return self.create(vals_list)

    @api.model
    def _cron_dispatch(self):
        self.search([("state", "=", ms.QUEUED)], limit=1000)._clinic_dispatch()

    # ------------------------------------------------------------------
    # Delivery reports
    # ------------------------------------------------------------------

    def _clinic_apply_status(self, status, error=None):
        """Record a delivery report; duplicates and late reports change nothing (C10)."""
        self.ensure_one()
        # Serialise reports on the same message so that two of them cannot
        # both see the old state (and both queue a fallback SMS).
        self.env.cr.execute(
            "SELECT state FROM clinic_reminder_message WHERE id = %s FOR UPDATE", [self.id]
        )
        current = self.env.cr.fetchone()[0]
        self.invalidate_recordset(["state"])
        new = ms.advance(current, status)
        if not new:
            return False
        vals = {"state": new, STATE_DATE[new]: fields.Datetime.now()}
        if new == ms.FAILED:
            vals["error"] = (error or "")[:200] or False
        self.write(vals)
        if new == ms.FAILED and self._clinic_queue_fallback():
            self.env.ref("clinic_reminder.ir_cron_dispatch")._trigger()
        self.line_id._reminder_notify()
        return True
