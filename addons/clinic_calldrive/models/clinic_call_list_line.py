from odoo import _, api, fields, models
from odoo.addons.clinic_base.tools import appointment_state as st
from odoo.exceptions import UserError
from odoo.fields import Command

from ..tools import lock_policy

STATES = [("todo", "To call"), ("done", "Done"), ("cancelled", "Cancelled")]
# Processing state of a row: written by the row's own methods only (with the lock
# fields, see clinic.call.lock.mixin), never directly by a user.
PROCESSING_FIELDS = ("state", "last_comment", "last_result_id", "attempt_ids")


class ClinicCallListLine(models.Model):
    """One row of a call list: a patient to call about an appointment, a task or nothing else.

    The lock protocol lives in ``clinic.call.lock.mixin``, what the operator
    screen shows in ``clinic.call.operator.mixin``; this model builds rows and
    carries the operator's actions and their outcomes (C2, C3).
    """

    _name = "clinic.call.list.line"
    _inherit = ["clinic.call.lock.mixin", "clinic.call.operator.mixin"]
    _description = "Call list row"
    _order = "list_id, sequence, id"
    _rec_name = "partner_id"

    list_id = fields.Many2one("clinic.call.list", required=True, ondelete="cascade", index=True)
    list_kind = fields.Selection(related="list_id.kind", store=True)
    company_id = fields.Many2one(related="list_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Subject", help="What the call is about, e.g. a task's summary.")
    partner_id = fields.Many2one("res.partner", "Patient", required=True, index=True)
    # Patient and appointment fields are read with the reader's rights (compute_sudo
    # off): a row never shows what its reader may not see on the patient or the visit.
    partner_birthdate = fields.Date(related="partner_id.birthdate", compute_sudo=False)
    phone = fields.Char("Number to call")
    event_id = fields.Many2one("calendar.event", "Appointment", ondelete="set null", index=True)
    event_start = fields.Datetime(related="event_id.start", compute_sudo=False)
    practitioner_id = fields.Many2one(related="event_id.practitioner_id", compute_sudo=False)
    event_state = fields.Selection(related="event_id.clinic_state", compute_sudo=False)
    activity_id = fields.Many2one("mail.activity", "Task", ondelete="set null", index=True)
    res_model = fields.Char("Object model", index=True)
    res_id = fields.Many2oneReference("Object", model_field="res_model")
    state = fields.Selection(STATES, default="todo", required=True, index=True, readonly=True)
    last_comment = fields.Text(readonly=True)
    last_result_id = fields.Many2one(
        "clinic.call.result", "Last result", ondelete="restrict", readonly=True
    )
    attempt_ids = fields.One2many("clinic.call.attempt", "line_id", "Attempts", readonly=True)
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

    def _compute_attempt_count(self):
        counts = dict(
            self.env["clinic.call.attempt"]._read_group(
                [("line_id", "in", self.ids)], ["line_id"], ["__count"]
            )
        )
        for line in self:
            line.attempt_count = counts.get(line, 0)

    @api.model
    def _protected_fields(self):
        return super()._protected_fields() | set(PROCESSING_FIELDS)

    def _set_processing(self, vals):
        """Write the rows' processing state (``PROCESSING_FIELDS``) from the row's methods.

        Callers have checked that the user may act on these rows.
        """
        # sudo: clinic.call.list.line - protected fields, written by the row's own
        # methods after their access and lock checks
        self.sudo().write(vals)

    # ------------------------------------------------------------------
    # Building rows
    # ------------------------------------------------------------------

    @api.model
    def _vals_for_partner(self, partner, numbers=None):
        """A row calling ``partner`` on clinic_base's number to reach them.

        ``numbers``: ``res.partner._clinic_numbers_to_reach()`` of a whole batch, so
        that building a list costs one query for all its numbers.
        """
        if numbers is None:
            numbers = partner._clinic_numbers_to_reach()
        number = numbers.get(partner.id)
        return {"partner_id": partner.id, "phone": number.number if number else False}

    @api.model
    def _vals_for_event(self, event, partner=None, numbers=None):
        """A row calling ``partner`` (by default the patient) about appointment ``event``."""
        return dict(
            self._vals_for_partner(partner or event.patient_id, numbers),
            event_id=event.id,
            res_model="calendar.event",
            res_id=event.id,
        )

    @api.model
    def _activity_partner(self, activity):
        record = self.env[activity.res_model].browse(activity.res_id)
        if activity.res_model == "res.partner":
            return record
        if "patient_id" in record._fields:
            return record.patient_id
        return self.env["res.partner"]

    # ------------------------------------------------------------------
    # Operator actions (C2, C3, C4)
    # ------------------------------------------------------------------

    def _lock_minutes(self):
        return self.company_id.clinic_call_lock_minutes or super()._lock_minutes()

    def _open_attempt(self, user):
        return self.attempt_ids.filtered(lambda a: a.outcome == "open" and a.user_id == user)[:1]

    def _close_attempts(self, outcome, **vals):
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
        if not self._claim():
            self._raise_not_claimed()
        if not self._open_attempt(self.env.user):
            # sudo: clinic.call.attempt - history row of the call the user just locked
            self.env["clinic.call.attempt"].sudo().create(
                {
                    "line_id": self.id,
                    "user_id": self.env.uid,
                    "start": self.lock_date,
                }
            )
        self.list_id._notify_lock(self)
        return False if manual else self._dial()

    def _can_dial(self):
        """Hook: can the current user dial through telephony? (clinic_calldrive_telephony)"""
        return False

    def _dial(self):
        """Hook: dial ``phone`` through telephony; manual mode without it (returns False)."""
        return False

    def action_finish(self, result_id, comment=False):
        """Finish processing (C3): record the result, release the lock, act on success."""
        self.ensure_one()
        self.check_access("write")
        result = self.env["clinic.call.result"].browse(getattr(result_id, "id", result_id)).exists()
        if not result or result.kind not in (False, self.list_kind):
            raise UserError(_("Pick a result status offered for this list."))
        comment = (comment or "").strip()
        if not comment and self.list_id._comment_required(result):
            raise UserError(
                _("A comment is required for the result %(result)s.", result=result.name)
            )
        self._check_holder()
        self._close_attempts("finished", result_id=result.id, comment=comment)
        self._release(self.env.user)
        vals = {"last_comment": comment, "last_result_id": result.id}
        if result.is_success:
            vals["state"] = "done"
        self._set_processing(vals)
        if result.handler:
            getattr(self, f"_on_result_{result.handler}")()
        elif result.is_success:
            self._on_success()
        self.list_id._notify_lock(self)
        return True

    def action_abort(self):
        """Abort processing (C4): the holder releases their own row after a crash."""
        self.ensure_one()
        self.check_access("write")
        self._check_holder()
        self._close_attempts("aborted")
        self._release(self.env.user)
        self.list_id._notify_lock(self)
        return True

    def action_force_release(self):
        """Release someone else's lock: allowed when over age, or for a manager (C4)."""
        self.ensure_one()
        self.check_access("write")
        self._row_lock()
        self.invalidate_recordset(["lock_user_id", "lock_date", "lock_noted"])
        verdict = self._lock_verdict()
        if verdict == lock_policy.MINE:
            return self.action_abort()
        is_manager = self.env.user.has_group("clinic_base.group_clinic_manager")
        if not lock_policy.may_force_release(verdict, is_manager):
            if verdict == lock_policy.FREE:
                return True
            self._raise_not_claimed()
        holder = self.lock_user_id
        self._release(holder)
        self._lock_released(
            holder,
            _(
                "Lock of %(holder)s released by %(user)s.",
                holder=holder.name,
                user=self.env.user.name,
            ),
        )
        return True

    def _append_note(self, note):
        for line in self:
            line._set_processing(
                {"last_comment": f"{line.last_comment}\n{note}" if line.last_comment else note}
            )

    def _lock_released(self, holder, note):
        self._close_attempts("released")
        self._append_note(note)
        self.list_id._notify_lock(self)

    def _lock_overage_noted(self, note):
        self._append_note(note)
        self.list_id._notify_lock(self)

    # ------------------------------------------------------------------
    # Outcomes (C3)
    # ------------------------------------------------------------------

    def _on_success(self):
        """Update the row's object after a successful call whose result names no handler.

        Dispatches to ``_on_success_<kind>``; addons adding a kind add their
        method. An ad-hoc row has no object: the row itself is processed.
        """
        for line in self:
            handler = getattr(line, f"_on_success_{line.list_kind}", None)
            if handler:
                handler()

    def _confirm_event(self):
        """Confirm the row's appointment the way the company records confirmations (C3)."""
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

    def _on_result_confirm(self):
        """Result handler "Confirm the appointment" (C15); addons add ``_on_result_<handler>``."""
        self._confirm_event()

    def _on_success_confirmation(self):
        self._confirm_event()

    def _on_success_task(self):
        if self.activity_id:
            self.activity_id.action_feedback(feedback=self.last_comment or False)
