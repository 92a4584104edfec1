from odoo import _, api, fields, models
from odoo.addons.bus.models.bus_presence import DISCONNECTION_TIMER
from odoo.addons.clinic_base.tools import appointment_state as st
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import format_datetime

from ..exceptions import LineLockedError
from ..tools import lock_policy

STATES = [("todo", "To call"), ("done", "Done"), ("cancelled", "Cancelled")]
# Only the locking methods below change these, in SQL, under a row lock.
LOCK_FIELDS = ("lock_user_id", "lock_date", "lock_noted")


class ClinicCallListLine(models.Model):
    """One row of a call list: a patient to call about an appointment, a task or nothing else.

    The row lock (C2, C4) lives in ``lock_user_id``/``lock_date`` and is only
    taken or released by SQL under ``SELECT ... FOR UPDATE NOWAIT`` followed by
    a conditional ``UPDATE``, so that two workers can never both hold a row.
    """

    _name = "clinic.call.list.line"
    _description = "Call list row"
    _order = "list_id, sequence, id"
    _rec_name = "partner_id"

    list_id = fields.Many2one("clinic.call.list", required=True, ondelete="cascade", index=True)
    list_kind = fields.Selection(related="list_id.kind", store=True)
    company_id = fields.Many2one(related="list_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Subject", help="What the call is about, e.g. a task's summary.")
    partner_id = fields.Many2one("res.partner", "Patient", required=True, index=True)
    partner_birthdate = fields.Date(related="partner_id.birthdate")
    phone = fields.Char("Number to call")
    event_id = fields.Many2one("calendar.event", "Appointment", ondelete="set null", index=True)
    event_start = fields.Datetime(related="event_id.start")
    practitioner_id = fields.Many2one(related="event_id.practitioner_id")
    event_state = fields.Selection(related="event_id.clinic_state")
    activity_id = fields.Many2one("mail.activity", "Task", ondelete="set null", index=True)
    res_model = fields.Char("Object model", index=True)
    res_id = fields.Many2oneReference("Object", model_field="res_model")
    state = fields.Selection(STATES, default="todo", required=True, index=True)
    lock_user_id = fields.Many2one("res.users", "Locked by", readonly=True, index=True)
    lock_date = fields.Datetime("Locked since", readonly=True)
    lock_noted = fields.Boolean(readonly=True, help="The over-age note was added to the comment.")
    last_comment = fields.Text()
    last_result_id = fields.Many2one("clinic.call.result", "Last result", ondelete="restrict")
    attempt_ids = fields.One2many("clinic.call.attempt", "line_id", "Attempts")
    attempt_count = fields.Integer(compute="_compute_attempt_count")

    def init(self):
        cr = self.env.cr
        cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS clinic_call_list_line_event_uniq
                   ON clinic_call_list_line (list_id, event_id) WHERE event_id IS NOT NULL"""
        )
        cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS clinic_call_list_line_activity_uniq
                   ON clinic_call_list_line (list_id, activity_id)
                WHERE activity_id IS NOT NULL"""
        )

    def _clinic_is_stale(self):
        """The row's lock is older than the company's limit (read the clock now)."""
        self.ensure_one()
        return lock_policy.is_stale(
            self.lock_date, fields.Datetime.now(), self._clinic_lock_minutes()
        )

    def _compute_attempt_count(self):
        counts = dict(
            self.env["clinic.call.attempt"]._read_group(
                [("line_id", "in", self.ids)], ["line_id"], ["__count"]
            )
        )
        for line in self:
            line.attempt_count = counts.get(line, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._clinic_check_lock_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._clinic_check_lock_vals(vals)
        return super().write(vals)

    def _clinic_check_lock_vals(self, vals):
        if not self.env.su and set(vals) & set(LOCK_FIELDS):
            raise AccessError(_("Row locks are taken with Start call and released with Finish."))

    # ------------------------------------------------------------------
    # Building rows
    # ------------------------------------------------------------------

    @api.model
    def _clinic_vals_for_partner(self, partner):
        number = partner.mobile or partner.phone or partner.clinic_phone_ids[:1].number
        return {"partner_id": partner.id, "phone": number}

    @api.model
    def _clinic_vals_for_event(self, event, partner=None):
        """A row calling ``partner`` (by default the patient) about appointment ``event``."""
        return dict(
            self._clinic_vals_for_partner(partner or event.patient_id),
            event_id=event.id,
            res_model="calendar.event",
            res_id=event.id,
        )

    @api.model
    def _clinic_activity_partner(self, activity):
        record = self.env[activity.res_model].browse(activity.res_id)
        if activity.res_model == "res.partner":
            return record
        if "patient_id" in record._fields:
            return record.patient_id
        return self.env["res.partner"]

    # ------------------------------------------------------------------
    # Locks (C2, C4)
    # ------------------------------------------------------------------

    def _clinic_lock_minutes(self):
        return self.company_id.clinic_call_lock_minutes or 15

    def _clinic_holder_active(self):
        """Odoo presence of the row's holder: still connected (online or away)?"""
        self.ensure_one()
        # sudo: bus.presence - only the holder's connection status is read
        presence = (
            self.env["bus.presence"]
            .sudo()
            .search([("user_id", "=", self.lock_user_id.id)], limit=1)
        )
        return lock_policy.holder_is_active(
            presence.status, presence.last_poll, fields.Datetime.now(), DISCONNECTION_TIMER
        )

    def _clinic_lock_verdict(self):
        self.ensure_one()
        holder = self.lock_user_id
        return lock_policy.lock_verdict(
            holder.id,
            self.lock_date,
            self.env.uid,
            fields.Datetime.now(),
            self._clinic_lock_minutes(),
            # Presence only matters for an over-age lock: skip the lookup otherwise.
            bool(holder) and self._clinic_is_stale() and self._clinic_holder_active(),
        )

    def _clinic_row_lock(self):
        """Take PostgreSQL's row lock on these rows, or fail at once.

        Raises psycopg2's LockNotAvailable (someone is taking or releasing the
        row right now) or SerializationFailure (it changed since our snapshot);
        Odoo's RPC layer retries both with a random back-off, and the retry then
        sees the committed holder.
        """
        self.flush_recordset()
        self.env.cr.execute(
            "SELECT id FROM clinic_call_list_line WHERE id IN %s FOR UPDATE NOWAIT",
            [tuple(self.ids)],
            log_exceptions=False,
        )

    def _clinic_claim(self):
        """Lock the row for the current user; True when the user now holds it."""
        self.ensure_one()
        self._clinic_row_lock()
        now = fields.Datetime.now()
        self.env.cr.execute(
            """UPDATE clinic_call_list_line
                  SET lock_user_id = %(uid)s, lock_date = %(now)s, lock_noted = FALSE,
                      write_uid = %(uid)s, write_date = %(now)s
                WHERE id = %(id)s AND state = 'todo'
                  AND (lock_user_id IS NULL OR lock_user_id = %(uid)s)
            RETURNING id""",
            {"uid": self.env.uid, "now": now, "id": self.id},
            log_exceptions=False,
        )
        won = bool(self.env.cr.fetchone())
        self.invalidate_recordset([*LOCK_FIELDS, "write_uid", "write_date"])
        return won

    def _clinic_release(self, holder):
        """Drop ``holder``'s lock on these rows (already row-locked by the caller)."""
        self.env.cr.execute(
            """UPDATE clinic_call_list_line
                  SET lock_user_id = NULL, lock_date = NULL, lock_noted = FALSE,
                      write_uid = %(uid)s, write_date = %(now)s
                WHERE id IN %(ids)s AND lock_user_id = %(holder)s""",
            {
                "uid": self.env.uid,
                "now": fields.Datetime.now(),
                "ids": tuple(self.ids),
                "holder": holder.id,
            },
        )
        self.invalidate_recordset([*LOCK_FIELDS, "write_uid", "write_date"])

    def _clinic_raise_not_claimed(self):
        self.invalidate_recordset(["state", *LOCK_FIELDS])
        if self.state != "todo":
            raise UserError(
                _("%(patient)s has already been processed.", patient=self.partner_id.display_name)
            )
        verdict = self._clinic_lock_verdict()
        holder = self.lock_user_id
        since = format_datetime(self.env, self.lock_date, dt_format="short")
        if verdict in (lock_policy.STALE_ACTIVE, lock_policy.STALE_INACTIVE):
            message = _(
                "%(user)s has been processing this row since %(since)s, longer than "
                "%(minutes)s minutes. You may release the lock and call.",
                user=holder.name,
                since=since,
                minutes=self._clinic_lock_minutes(),
            )
        else:
            message = _(
                "%(user)s is processing this row (since %(since)s).", user=holder.name, since=since
            )
        raise LineLockedError(message, holder=holder, stale=verdict != lock_policy.HELD)

    def _clinic_open_attempt(self, user):
        return self.attempt_ids.filtered(lambda a: a.outcome == "open" and a.user_id == user)[:1]

    def _clinic_close_attempts(self, outcome, **vals):
        # sudo: clinic.call.attempt - history rows of lines the caller may write, closed
        # by the locking methods only
        attempts = self.sudo().attempt_ids.filtered(lambda a: a.outcome == "open")
        attempts.write(dict(vals, outcome=outcome, end=fields.Datetime.now()))
        return attempts

    def action_start_call(self, manual=False):
        """Start call (C2): lock the row for the current user, then dial through telephony.

        ``manual``: the operator dials by hand (no telephony, or its manual mode).
        Returns the dialling hook's client action, or False.
        """
        self.ensure_one()
        self.check_access("write")
        if not self._clinic_claim():
            self._clinic_raise_not_claimed()
        if not self._clinic_open_attempt(self.env.user):
            # sudo: clinic.call.attempt - history row of the call the user just locked
            self.env["clinic.call.attempt"].sudo().create(
                {
                    "line_id": self.id,
                    "user_id": self.env.uid,
                    "start": self.lock_date,
                }
            )
        self.list_id._clinic_notify_lock(self)
        return False if manual else self._clinic_dial()

    def _clinic_can_dial(self):
        """Hook: can the current user dial through telephony? (clinic_calldrive_telephony)"""
        return False

    def _clinic_dial(self):
        """Hook: dial ``phone`` through telephony; manual mode without it (returns False)."""
        return False

    def _clinic_check_holder(self):
        """Row-lock the line and make sure the current user holds it."""
        self._clinic_row_lock()
        self.invalidate_recordset([*LOCK_FIELDS, "state"])
        if self.lock_user_id != self.env.user:
            if self.lock_user_id:
                self._clinic_raise_not_claimed()
            raise UserError(_("Start the call before finishing it."))

    def _clinic_comment_required(self, result):
        """Hook: must the operator explain ``result``? Subclasses add their rules (C7)."""
        return result.comment_required

    def action_finish(self, result_id, comment=False):
        """Finish processing (C3): record the result, release the lock, act on success."""
        self.ensure_one()
        self.check_access("write")
        result = self.env["clinic.call.result"].browse(getattr(result_id, "id", result_id)).exists()
        if not result or result.kind not in (False, self.list_kind):
            raise UserError(_("Pick a result status offered for this list."))
        comment = (comment or "").strip()
        if not comment and self._clinic_comment_required(result):
            raise UserError(
                _("A comment is required for the result %(result)s.", result=result.name)
            )
        self._clinic_check_holder()
        self._clinic_close_attempts("finished", result_id=result.id, comment=comment)
        self._clinic_release(self.env.user)
        vals = {"last_comment": comment, "last_result_id": result.id}
        if result.is_success:
            vals["state"] = "done"
        self.write(vals)
        if result.is_success:
            self._clinic_on_success()
        self.list_id._clinic_notify_lock(self)
        return True

    def action_abort(self):
        """Abort processing (C4): the holder releases their own row after a crash."""
        self.ensure_one()
        self.check_access("write")
        self._clinic_check_holder()
        self._clinic_close_attempts("aborted")
        self._clinic_release(self.env.user)
        self.list_id._clinic_notify_lock(self)
        return True

    def action_force_release(self):
        """Release someone else's lock: allowed when over age, or for a manager (C4)."""
        self.ensure_one()
        self.check_access("write")
        self._clinic_row_lock()
        self.invalidate_recordset(LOCK_FIELDS)
        verdict = self._clinic_lock_verdict()
        if verdict == lock_policy.MINE:
            return self.action_abort()
        is_manager = self.env.user.has_group("clinic_base.group_clinic_manager")
        if not lock_policy.may_force_release(verdict, is_manager):
            if verdict == lock_policy.FREE:
                return True
            self._clinic_raise_not_claimed()
        holder = self.lock_user_id
        self._clinic_close_attempts("released")
        self._clinic_release(holder)
        self._clinic_append_note(
            _(
                "Lock of %(holder)s released by %(user)s.",
                holder=holder.name,
                user=self.env.user.name,
            )
        )
        self.list_id._clinic_notify_lock(self)
        return True

    def _clinic_append_note(self, note):
        for line in self:
            line.last_comment = f"{line.last_comment}\n{note}" if line.last_comment else note

    @api.model
    def _cron_release_stale_locks(self):
        """Scheduled action (C4): over-age locks get a note, or are released if the holder left.

        Rows an operator is working on right now are skipped (SKIP LOCKED), so
        the cron never waits for, nor blocks, a call.
        """
        candidates = self.search([("lock_user_id", "!=", False), ("state", "=", "todo")])
        candidates = candidates.filtered(lambda line: line._clinic_is_stale())
        if not candidates:
            return
        self.env.cr.execute(
            """SELECT id FROM clinic_call_list_line
                WHERE id IN %s AND lock_user_id IS NOT NULL
                  FOR UPDATE SKIP LOCKED""",
            [tuple(candidates.ids)],
        )
        lines = self.browse([row[0] for row in self.env.cr.fetchall()])
        lines.invalidate_recordset(LOCK_FIELDS)
        for line in lines.filtered(lambda line: line._clinic_is_stale()):
            holder = line.lock_user_id
            since = format_datetime(self.env, line.lock_date, dt_format="short")
            if line._clinic_holder_active():
                if not line.lock_noted:
                    line._clinic_append_note(
                        _(
                            "Locked by %(holder)s since %(since)s, longer than %(minutes)s "
                            "minutes; the next caller may release it.",
                            holder=holder.name,
                            since=since,
                            minutes=line._clinic_lock_minutes(),
                        )
                    )
                    line.sudo().lock_noted = True  # sudo: clinic.call.list.line - cron flag
            else:
                line._clinic_close_attempts("released")
                line._clinic_release(holder)
                line._clinic_append_note(
                    _(
                        "Lock of %(holder)s (since %(since)s) released automatically: "
                        "they are no longer connected.",
                        holder=holder.name,
                        since=since,
                    )
                )
            line.list_id._clinic_notify_lock(line)

    # ------------------------------------------------------------------
    # Outcomes (C3)
    # ------------------------------------------------------------------

    def _clinic_on_success(self):
        """Update the row's object after a successful call, per list kind.

        Dispatches to ``_clinic_on_success_<kind>``; addons adding a kind add
        their method. An ad-hoc row has no object: the row itself is processed.
        """
        for line in self:
            handler = getattr(line, f"_clinic_on_success_{line.list_kind}", None)
            if handler:
                handler()

    def _clinic_on_success_confirmation(self):
        event = self.event_id
        if not event:
            return
        company = self.company_id
        if company.clinic_call_confirm_mode == "tag":
            tag = company.clinic_call_confirm_tag_id
            if not tag:
                raise UserError(_("Set the confirmation tag in the Clinic settings."))
            event.categ_ids = [Command.link(tag.id)]
        elif event.clinic_state != st.CONFIRMED:
            event.action_clinic_confirm()

    def _clinic_on_success_task(self):
        if self.activity_id:
            self.activity_id.action_feedback(feedback=self.last_comment or False)

    # ------------------------------------------------------------------
    # Operator screen and bus
    # ------------------------------------------------------------------

    def _clinic_row_data(self):
        self.ensure_one()
        return dict(
            self._clinic_lock_payload(),
            id=self.id,
            name=self.name or False,
            partner={"id": self.partner_id.id, "name": self.partner_id.name},
            phone=self.phone or False,
            event_start=fields.Datetime.to_string(self.event_start) if self.event_start else False,
            last_result=self.last_result_id.name or False,
        )

    def clinic_operator_card(self):
        """Header of the operator screen for the selected row (C1, C3, C4)."""
        self.ensure_one()
        partner = self.partner_id
        appointments = self.env["calendar.event"].search(
            [
                ("patient_id", "=", partner.id),
                ("clinic_state", "in", list(st.OPEN_STATES)),
                ("stop", ">=", fields.Datetime.now()),
            ],
            order="start",
        )
        states = dict(
            self.env["calendar.event"]._fields["clinic_state"]._description_selection(self.env)
        )
        outcomes = dict(
            self.env["clinic.call.attempt"]._fields["outcome"]._description_selection(self.env)
        )
        holder = self.lock_user_id
        return dict(
            self._clinic_row_data(),
            partner={
                "id": partner.id,
                "name": partner.name,
                "birthdate": fields.Date.to_string(partner.birthdate)
                if partner.birthdate
                else False,
                "numbers": [
                    {"number": row.number, "label": row.label or False}
                    for row in partner.clinic_phone_ids
                ],
            },
            last_comment=self.last_comment or False,
            can_dial=self._clinic_can_dial(),
            lock_mine=holder == self.env.user,
            lock_date=fields.Datetime.to_string(self.lock_date) if self.lock_date else False,
            appointments=[
                {
                    "id": event.id,
                    "start": fields.Datetime.to_string(event.start),
                    "practitioner": event.practitioner_id.name or False,
                    "state": states.get(event.clinic_state),
                    "current": event == self.event_id,
                }
                for event in appointments
            ],
            attempts=[
                {
                    "id": attempt.id,
                    "user": attempt.user_id.name,
                    "start": fields.Datetime.to_string(attempt.start),
                    "result": attempt.result_id.name or False,
                    "comment": attempt.comment or False,
                    "outcome_label": outcomes.get(attempt.outcome),
                }
                for attempt in self.attempt_ids
            ],
        )

    def _clinic_lock_payload(self):
        self.ensure_one()
        holder = self.lock_user_id
        return {
            "list_id": self.list_id.id,
            "line_id": self.id,
            "lock_user": {"id": holder.id, "name": holder.name} if holder else False,
            "lock_stale": self._clinic_is_stale(),
            "state": self.state,
        }
