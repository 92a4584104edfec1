from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.addons.bus.models.bus_presence import DISCONNECTION_TIMER
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

from ..exceptions import LineLockedError
from ..tools import lock_policy

# Only the locking methods below change these, in SQL, under a row lock.
LOCK_FIELDS = ("lock_user_id", "lock_date", "lock_noted")


class ClinicCallLockMixin(models.AbstractModel):
    """Row lock of a call-list row (C2, C4): who is calling this patient right now.

    The lock lives in ``lock_user_id``/``lock_date`` and is only taken or
    released by SQL under ``SELECT ... FOR UPDATE NOWAIT`` followed by a
    conditional ``UPDATE``, so that two workers can never both hold a row.
    The inheriting model has a ``state`` field whose open value is ``todo``.

    Fields listed by :meth:`_protected_fields` (the lock and the processing
    state) are written by the model's own methods only: ``create``/``write``
    refuse them from users, over RPC as in the UI; the methods check access
    themselves, then write with ``sudo()``.
    """

    _name = "clinic.call.lock.mixin"
    _description = "Call-list row lock"

    lock_user_id = fields.Many2one("res.users", "Locked by", readonly=True, index=True)
    lock_date = fields.Datetime("Locked since", readonly=True)
    lock_noted = fields.Boolean(readonly=True, help="The over-age note was added to the comment.")

    # ------------------------------------------------------------------
    # Field guard
    # ------------------------------------------------------------------

    @api.model
    def _protected_fields(self):
        """Fields users never write directly; models add their processing state."""
        return set(LOCK_FIELDS)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_protected_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals(vals)
        return super().write(vals)

    def _check_protected_vals(self, vals):
        if self.env.su:
            return
        protected = sorted(set(vals) & self._protected_fields())
        if protected:
            labels = ", ".join(self._fields[f]._description_string(self.env) for f in protected)
            raise AccessError(
                _(
                    "%(fields)s of a call-list row change only through Start call, Finish "
                    "processing and Abort processing.",
                    fields=labels,
                )
            )

    # ------------------------------------------------------------------
    # Verdicts
    # ------------------------------------------------------------------

    def _lock_minutes(self):
        """Hook: age in minutes past which a lock is over-age."""
        return 15

    def _is_stale(self):
        """The row's lock is older than the limit (read the clock now)."""
        self.ensure_one()
        return lock_policy.is_stale(self.lock_date, fields.Datetime.now(), self._lock_minutes())

    def _holder_active(self):
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

    def _lock_verdict(self):
        self.ensure_one()
        holder = self.lock_user_id
        return lock_policy.lock_verdict(
            holder.id,
            self.lock_date,
            self.env.uid,
            fields.Datetime.now(),
            self._lock_minutes(),
            # Presence only matters for an over-age lock: skip the lookup otherwise.
            bool(holder) and self._is_stale() and self._holder_active(),
        )

    def _raise_not_claimed(self):
        self.invalidate_recordset(["state", *LOCK_FIELDS])
        if self.state != "todo":
            raise UserError(_("%(patient)s has already been processed.", patient=self.display_name))
        verdict = self._lock_verdict()
        holder = self.lock_user_id
        since = format_datetime(self.env, self.lock_date, dt_format="short")
        if verdict in (lock_policy.STALE_ACTIVE, lock_policy.STALE_INACTIVE):
            message = _(
                "%(user)s has been processing this row since %(since)s, longer than "
                "%(minutes)s minutes. You may release the lock and call.",
                user=holder.name,
                since=since,
                minutes=self._lock_minutes(),
            )
        else:
            message = _(
                "%(user)s is processing this row (since %(since)s).", user=holder.name, since=since
            )
        raise LineLockedError(message, holder=holder, stale=verdict != lock_policy.HELD)

    # ------------------------------------------------------------------
    # Claim and release, in SQL
    # ------------------------------------------------------------------

    def _row_lock(self):
        """Take PostgreSQL's row lock on these rows, or fail at once.

        Raises psycopg2's LockNotAvailable (someone is taking or releasing the
        row right now) or SerializationFailure (it changed since our snapshot);
        Odoo's RPC layer retries both with a random back-off, and the retry then
        sees the committed holder.
        """
        self.flush_recordset()
        self.env.cr.execute(
            sql.SQL("SELECT id FROM {} WHERE id IN %s FOR UPDATE NOWAIT").format(
                sql.Identifier(self._table)
            ),
            [tuple(self.ids)],
            log_exceptions=False,
        )

    def _claim(self):
        """Lock the row for the current user; True when the user now holds it."""
        self.ensure_one()
        self._row_lock()
        now = fields.Datetime.now()
        self.env.cr.execute(
            sql.SQL(
                """UPDATE {}
                      SET lock_user_id = %(uid)s, lock_date = %(now)s, lock_noted = FALSE,
                          write_uid = %(uid)s, write_date = %(now)s
                    WHERE id = %(id)s AND state = 'todo'
                      AND (lock_user_id IS NULL OR lock_user_id = %(uid)s)
                RETURNING id"""
            ).format(sql.Identifier(self._table)),
            {"uid": self.env.uid, "now": now, "id": self.id},
            log_exceptions=False,
        )
        won = bool(self.env.cr.fetchone())
        self.invalidate_recordset([*LOCK_FIELDS, "write_uid", "write_date"])
        return won

    def _release(self, holder):
        """Drop ``holder``'s lock on these rows (already row-locked by the caller)."""
        self.env.cr.execute(
            sql.SQL(
                """UPDATE {}
                      SET lock_user_id = NULL, lock_date = NULL, lock_noted = FALSE,
                          write_uid = %(uid)s, write_date = %(now)s
                    WHERE id IN %(ids)s AND lock_user_id = %(holder)s"""
            ).format(sql.Identifier(self._table)),
            {
                "uid": self.env.uid,
                "now": fields.Datetime.now(),
                "ids": tuple(self.ids),
                "holder": holder.id,
            },
        )
        self.invalidate_recordset([*LOCK_FIELDS, "write_uid", "write_date"])

    def _check_holder(self):
        """Row-lock the row and make sure the current user holds it."""
        self._row_lock()
        self.invalidate_recordset([*LOCK_FIELDS, "state"])
        if self.lock_user_id != self.env.user:
            if self.lock_user_id:
                self._raise_not_claimed()
            raise UserError(_("Start the call before finishing it."))

    # ------------------------------------------------------------------
    # Over-age locks (C4)
    # ------------------------------------------------------------------

    def _lock_released(self, holder, note):
        """Hook: ``holder``'s lock on the row was released by someone else; ``note`` says why."""

    def _lock_overage_noted(self, note):
        """Hook: the row's lock is over age and its holder still connected; ``note`` says so."""

    @api.model
    def _cron_release_stale_locks(self):
        """Scheduled action (C4): over-age locks get a note, or are released if the holder left.

        Rows an operator is working on right now are skipped (SKIP LOCKED), so
        the cron never waits for, nor blocks, a call.
        """
        candidates = self.search([("lock_user_id", "!=", False), ("state", "=", "todo")])
        candidates = candidates.filtered(lambda row: row._is_stale())
        if not candidates:
            return
        self.env.cr.execute(
            sql.SQL(
                """SELECT id FROM {}
                    WHERE id IN %s AND lock_user_id IS NOT NULL
                      FOR UPDATE SKIP LOCKED"""
            ).format(sql.Identifier(self._table)),
            [tuple(candidates.ids)],
        )
        rows = self.browse([row[0] for row in self.env.cr.fetchall()])
        rows.invalidate_recordset(LOCK_FIELDS)
        for row in rows.filtered(lambda row: row._is_stale()):
            holder = row.lock_user_id
            since = format_datetime(self.env, row.lock_date, dt_format="short")
            if row._holder_active():
                if not row.lock_noted:
                    # sudo: clinic.call.lock.mixin - the cron's own flag on the row
                    row.sudo().lock_noted = True
                    row._lock_overage_noted(
                        _(
                            "Locked by %(holder)s since %(since)s, longer than %(minutes)s "
                            "minutes; the next caller may release it.",
                            holder=holder.name,
                            since=since,
                            minutes=row._lock_minutes(),
                        )
                    )
            else:
                row._release(holder)
                row._lock_released(
                    holder,
                    _(
                        "Lock of %(holder)s (since %(since)s) released automatically: "
                        "they are no longer connected.",
                        holder=holder.name,
                        since=since,
                    ),
                )
