import logging
import random
import time
import uuid
from collections import defaultdict
from datetime import timedelta

from psycopg2.extensions import TransactionRollbackError

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import cron
from ..tools import message_state as ms
from ..tools import outcome as oc
from .clinic_reminder_gateway import CHANNELS

_logger = logging.getLogger(__name__)

STATES = [
    (ms.QUEUED, "Queued"),
    (ms.SENDING, "Sending"),
    (ms.UNKNOWN, "Outcome unknown"),
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
# C11: messages claimed per batch (one commit each) and the dispatcher's time per run.
BATCH_SIZE = 200
RUN_SECONDS = 240
# A "sending" message nobody holds a lock on for this long lost its dispatcher.
LOST_AFTER = timedelta(minutes=2)
# Never reached the provider (no connection, throttled): tried again after these delays.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))
# Claims and outcome records are retried on serialization failures and deadlocks.
RETRYABLE = TransactionRollbackError
RECORD_TRIES = 3


class ClinicReminderMessage(models.Model):
    """One reminder sent (or to send) to one patient through one gateway (C5, C9-C11).

    The table is the outbox: campaigns, the evening SMS and the late-booking
    sweep only queue; the dispatcher (:meth:`_cron_dispatch`) sends.
    """

    _name = "clinic.reminder.message"
    _description = "Reminder message"
    _order = "id desc"
    _rec_name = "recipient"

    campaign_id = fields.Many2one(
        "clinic.reminder.campaign", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
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
        help="Our idempotency key: a provider that supports one sends a repeated reference "
        "only once.",
    )
    provider_message_id = fields.Char(index="btree_not_null", copy=False)
    state = fields.Selection(STATES, required=True, default=ms.QUEUED, index=True)
    scheduled_date = fields.Datetime(
        "Not before",
        copy=False,
        help="The message waits in the outbox until then: quiet hours (C13) or a new try "
        "after the provider could not be reached.",
    )
    sending_date = fields.Datetime("Sending since", copy=False, readonly=True)
    attempts = fields.Integer(
        copy=False, readonly=True, help="Tries that never reached the provider."
    )
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

    def init(self):
        # The dispatcher's claim: queued messages in order, skipping what others hold.
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS clinic_reminder_message_outbox_idx
                   ON clinic_reminder_message (id) WHERE state IN ('queued', 'sending')"""
        )

    # ------------------------------------------------------------------
    # The outbox dispatcher (C11)
    # ------------------------------------------------------------------

    @api.model
    def _cron_dispatch(self):
        """Cron (and "Send now"): send what is due, batch by batch, one commit per batch."""
        self._dispatch_outbox(commit=cron.may_commit())

    @api.model
    def _dispatch_outbox(self, commit=True, batch_size=BATCH_SIZE, seconds=RUN_SECONDS):
        """Claim due messages with ``FOR UPDATE SKIP LOCKED``, commit them as
        "sending", call the providers, then record each provider's answer.

        ``commit``: the cron's own transaction handling, like mail.mail's queue
        and OCA's queue_job: a message is "sending" on disk before any provider
        hears of it, so a crash, a rollback or a second worker can never send it
        twice. Without it (tests) everything stays in the caller's transaction.
        Returns the number of messages handed to providers.
        """
        self._mark_lost(commit)
        handled = 0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                batch = self._claim(batch_size)
            except RETRYABLE:
                # Another dispatcher claimed rows after our snapshot began (REPEATABLE
                # READ): start again with a fresh snapshot.
                if not commit:
                    raise
                self.env.cr.rollback()  # pylint: disable=invalid-commit
                self.env.invalidate_all()
                time.sleep(random.uniform(0.01, 0.1))
                continue
            if not batch:
                break
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            handled += len(batch)
            batch._send_claimed(commit)
        self._schedule_wake_up()
        return handled

    def _quiet_companies(self, now):
        """``{company id: end of its quiet hours}`` for companies with queued messages."""
        self.env.cr.execute(
            "SELECT DISTINCT company_id FROM clinic_reminder_message WHERE state = 'queued'"
        )
        companies = self.env["res.company"].browse([row[0] for row in self.env.cr.fetchall()])
        quiet = {}
        for company in companies:
            end = company._clinic_reminder_quiet_until(now)
            if end:
                quiet[company.id] = end
        return quiet

    @api.model
    def _claim(self, limit):
        """Lock up to ``limit`` due messages nobody else holds and mark them "sending"."""
        self.env.flush_all()
        now = fields.Datetime.now()
        quiet = self._quiet_companies(now)
        self.env.cr.execute(
            """SELECT id FROM clinic_reminder_message
                WHERE state = 'queued'
                  AND (scheduled_date IS NULL OR scheduled_date <= %s)
                  AND company_id != ALL(%s)
                ORDER BY id
                LIMIT %s
                  FOR UPDATE SKIP LOCKED""",
            [now, list(quiet), limit],
            # A row claimed by another dispatcher since our snapshot: the caller retries
            # (as ir.cron's own job acquisition does), nothing to log as an error.
            log_exceptions=False,
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return self.browse()
        # The transient state goes in by SQL: no colour or report depends on it.
        self.env.cr.execute(
            """UPDATE clinic_reminder_message
                  SET state = 'sending', sending_date = %s, write_date = %s
                WHERE id = ANY(%s)""",
            [now, now, ids],
        )
        batch = self.browse(ids)
        batch.invalidate_recordset(["state", "sending_date"])
        return batch

    def _hold(self):
        """Row locks on the claimed messages for the whole provider round trip.

        A dispatcher that dies loses its connection and with it these locks:
        that is how :meth:`_mark_lost` tells a dead dispatcher from a slow one.
        """
        self.env.cr.execute(
            """SELECT id FROM clinic_reminder_message
                WHERE id = ANY(%s) AND state = 'sending'
                  FOR UPDATE""",
            [self.ids],
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _send_claimed(self, commit):
        """Hand the claimed messages to their providers and record the answers."""
        held = self._hold()
        outcomes = {}
        for gateway, messages in held.grouped("gateway_id").items():
            try:
                outcomes.update(gateway._send_all(messages))
            except Exception as exc:  # noqa: BLE001 - the provider may have them: unknown
                _logger.exception("Gateway %s failed while sending", gateway.code)
                outcomes.update({m.id: oc.unknown(exc) for m in messages})
        self._record(held, outcomes, commit)

    def _record(self, held, outcomes, commit):
        """Write the providers' answers, in one commit, retried on serialization failures.

        What cannot be written leaves its messages "unknown", never "queued".
        """
        for attempt in range(1, RECORD_TRIES + 1):
            try:
                held._apply_outcomes(outcomes)
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                return
            except RETRYABLE as exc:
                if not commit:
                    raise
                self.env.cr.rollback()  # pylint: disable=invalid-commit
                self.env.invalidate_all()
                _logger.info("Recording %s outcomes, try %s: %s", len(held), attempt, exc)
                time.sleep(random.uniform(0.05, 0.3) * attempt)
                held = held._hold()
            except Exception:
                if not commit:
                    raise
                _logger.exception("Recording the outcome of %s messages failed", len(held))
                self.env.cr.rollback()  # pylint: disable=invalid-commit
                self.env.invalidate_all()
                break
        # Provider answers we could not keep: the messages may be out, nobody knows.
        held._hold()._set_unknown(_("The provider's answer could not be recorded."))
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _apply_outcomes(self, outcomes):
        now = fields.Datetime.now()
        groups = defaultdict(list)  # (state, error, scheduled, attempts +1) -> ids
        for message in self:
            result = outcomes.get(message.id) or oc.unknown(_("No answer from the gateway."))
            if result.kind == oc.ACCEPTED:
                # No field depends on the provider id: a cheap per-record write.
                message.provider_message_id = result.provider_id
                groups[(result.state, False, False, False)].append(message.id)
            elif result.kind == oc.REFUSED:
                groups[(ms.FAILED, result.error, False, False)].append(message.id)
            elif result.kind == oc.RETRY and message.attempts < len(RETRY_DELAYS):
                later = now + RETRY_DELAYS[message.attempts]
                groups[(ms.QUEUED, result.error, later, True)].append(message.id)
            elif result.kind == oc.RETRY:
                groups[(ms.FAILED, result.error, False, True)].append(message.id)
            else:
                groups[(ms.UNKNOWN, result.error, False, False)].append(message.id)
        # A few batched writes: each write recomputes the rows' colours.
        for (state, error, scheduled, tried), ids in groups.items():
            messages = self.browse(ids)
            vals = {"state": state, "error": error}
            if state in STATE_DATE:
                vals.update({"sent_date": now, STATE_DATE[state]: now})
            if state == ms.QUEUED:
                vals["scheduled_date"] = scheduled
            if tried:
                for attempts, same in messages.grouped("attempts").items():
                    same.write(dict(vals, attempts=attempts + 1))
            else:
                messages.write(vals)
        failed = self.filtered(lambda m: m.state == ms.FAILED)
        failed._queue_fallback()
        self.line_id._reminder_notify()

    def _set_unknown(self, error):
        self.write({"state": ms.UNKNOWN, "error": error[:200]})
        self.line_id._reminder_notify()

    @api.model
    def _mark_lost(self, commit):
        """ "Sending" messages whose dispatcher died (no lock, claimed a while ago): unknown.

        Never resent: the provider may have them (C11).
        """
        try:
            self.env.cr.execute(
                """SELECT id FROM clinic_reminder_message
                    WHERE state = 'sending' AND sending_date < %s
                      FOR UPDATE SKIP LOCKED""",
                [fields.Datetime.now() - LOST_AFTER],
                log_exceptions=False,
            )
        except RETRYABLE:
            if not commit:
                raise
            self.env.cr.rollback()  # pylint: disable=invalid-commit
            return  # another dispatcher is at it; the next run looks again
        lost = self.browse([row[0] for row in self.env.cr.fetchall()])
        if lost:
            _logger.warning("%s reminder messages lost their dispatcher: unknown", len(lost))
            lost._set_unknown(_("The dispatcher stopped while sending; it may have gone out."))
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _schedule_wake_up(self):
        """Run again when the next waiting message is due (quiet hours end, a new try)."""
        now = fields.Datetime.now()
        due = list(self._quiet_companies(now).values())
        self.env.cr.execute(
            """SELECT min(scheduled_date) FROM clinic_reminder_message
                WHERE state = 'queued' AND scheduled_date > %s""",
            [now],
        )
        later = self.env.cr.fetchone()[0]
        if later:
            due.append(later)
        if not due:
            return
        cron = self.env.ref("clinic_reminder.ir_cron_dispatch")
        at = min(due)
        # sudo: ir.cron.trigger - a technical wake-up of our own cron, read to avoid duplicates
        Trigger = self.env["ir.cron.trigger"].sudo()
        if not Trigger.search_count([("cron_id", "=", cron.id), ("call_at", "=", at)]):
            cron._trigger(at)

    # ------------------------------------------------------------------
    # Queueing helpers
    # ------------------------------------------------------------------

    def _queue_fallback(self):
        """SMS for failed messenger messages whose appointment has none yet (C5, C10).

        Batched per campaign: a campaign whose messenger reaches few patients
        falls back for thousands of them at once (P4).
        """
        failed = self.filtered(lambda m: m.channel == "messenger" and m.state == ms.FAILED)
        vals_list = []
        for campaign, messages in failed.grouped("campaign_id").items():
            gateway = campaign._gateway("sms")
            if not gateway:
                continue
            done = campaign._has_message(messages.event_id, "sms")
            messages = messages.filtered(lambda m, done=done: m.event_id not in done)
            recipients = gateway._recipients(messages.event_id.patient_id)
            scheduled = campaign._leaves_at()
            for message in messages:
                vals = campaign._message_vals(
                    gateway, message.line_id, message.event_id, recipients, scheduled
                )
                vals["body"] = message.body
                vals_list.append(vals)
        return self.create(vals_list)

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        if messages.filtered(lambda m: m.state == ms.QUEUED):
            self.env.ref("clinic_reminder.ir_cron_dispatch")._trigger()
        return messages

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_resend(self):
        """Send a message whose outcome is unknown once more, on a person's decision (C11)."""
        self.check_access("write")
        if any(message.state != ms.UNKNOWN for message in self):
            raise UserError(_("Only messages whose outcome is unknown can be sent again."))
        self.write({"state": ms.QUEUED, "scheduled_date": False, "error": False})
        self.env.ref("clinic_reminder.ir_cron_dispatch")._trigger()
        return True

    # ------------------------------------------------------------------
    # Delivery reports
    # ------------------------------------------------------------------

    def _apply_status(self, status, error=None):
        """Record a delivery report; duplicates and late reports change nothing (C10)."""
        self.ensure_one()
        # Serialise reports on the same message (and wait for a dispatcher still
        # recording it) so that two of them cannot both see the old state.
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
        if new == ms.FAILED:
            self._queue_fallback()
        self.line_id._reminder_notify()
        return True
