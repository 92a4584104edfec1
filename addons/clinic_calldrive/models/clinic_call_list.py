from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

KINDS = [
    ("confirmation", "Appointment confirmation"),
    ("adhoc", "Call list"),
    ("task", "Tasks and reminders"),
]
LOCK_NOTIFICATION = "clinic_calldrive/lock"


class ClinicCallList(models.Model):
    """A list of patients to call (C1): a day's confirmations, an ad-hoc list or tasks."""

    _name = "clinic.call.list"
    _inherit = ["bus.listener.mixin"]
    _description = "Call list"
    _order = "date desc, id desc"

    name = fields.Char(required=True, translate=False)
    kind = fields.Selection(KINDS, required=True, default="adhoc", index=True)
    date = fields.Date(help="For confirmation lists: the day of the appointments.")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    line_ids = fields.One2many("clinic.call.list.line", "list_id", "Rows")
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        "Activity type",
        help="Task lists: open activities of this type on patients fill the list.",
    )
    todo_count = fields.Integer("To call", compute="_compute_counts")
    done_count = fields.Integer("Done", compute="_compute_counts")
    locked_count = fields.Integer("In progress", compute="_compute_counts")

    def init(self):
        # One confirmation list per company and day, whoever builds it first.
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS clinic_call_list_confirmation_day_uniq
                   ON clinic_call_list (company_id, date)
                WHERE kind = 'confirmation' AND active"""
        )

    def _compute_counts(self):
        Line = self.env["clinic.call.list.line"]
        groups = Line._read_group([("list_id", "in", self.ids)], ["list_id", "state"], ["__count"])
        counts = {(lst.id, state): count for lst, state, count in groups}
        locked = dict(
            Line._read_group(
                [
                    ("list_id", "in", self.ids),
                    ("lock_user_id", "!=", False),
                    ("state", "=", "todo"),
                ],
                ["list_id"],
                ["__count"],
            )
        )
        for call_list in self:
            call_list.todo_count = counts.get((call_list.id, "todo"), 0)
            call_list.done_count = counts.get((call_list.id, "done"), 0)
            call_list.locked_count = locked.get(call_list, 0)

    # ------------------------------------------------------------------
    # Filling
    # ------------------------------------------------------------------

    @api.model
    def _confirmation_events(self, day):
        """Appointments of ``day`` to confirm: patients' visits not yet confirmed (C1)."""
        # The clinic's day (C13: the company's time zone, not the user's).
        start, stop = self.env.company._clinic_day_bounds(day)
        Event = self.env["calendar.event"]
        return Event.search(
            [
                ("patient_id", "!=", False),
                ("patient_id.company_id", "in", [False, self.env.company.id]),
                ("start", ">=", start),
                ("start", "<", stop),
                *Event._clinic_to_confirm_domain(self.env.company),
            ],
            order="start, id",
        )

    @api.model
    def _fill_confirmation(self, day=None):
        """Build or refresh the confirmation list of ``day`` (default: tomorrow).

        New appointments get a row, in chronological order; rows whose
        appointment left the day or was cancelled are cancelled unless someone
        is on the phone with them. Returns the list.
        """
        day = (
            fields.Date.to_date(day)
            if day
            else (self.env.company._clinic_today() + timedelta(days=1))
        )
        call_list = self._confirmation_list(day)
        call_list._sync_event_lines(self._confirmation_events(day))
        return call_list

    @api.model
    def _confirmation_list(self, day):
        """The current company's confirmation list of ``day``, created if missing.

        The unique index on (company, day) arbitrates between workers creating
        it at the same time: the loser's ``INSERT ... ON CONFLICT DO NOTHING``
        either finds the winner's committed row outside its snapshot, which
        PostgreSQL reports as a serialization failure (Odoo's RPC layer and
        ``odoo.service.model.retrying`` retry it, and the retry finds the list),
        or inserts nothing and reads the row it can see.
        """
        domain = [
            ("kind", "=", "confirmation"),
            ("date", "=", day),
            ("company_id", "=", self.env.company.id),
        ]
        call_list = self.search(domain, limit=1)
        if call_list:
            return call_list
        self.check_access("create")
        now = fields.Datetime.now()
        self.env.cr.execute(
            """INSERT INTO clinic_call_list
                      (name, kind, date, company_id, active,
                       create_uid, create_date, write_uid, write_date)
               VALUES (%(name)s, 'confirmation', %(day)s, %(company)s, TRUE,
                       %(uid)s, %(now)s, %(uid)s, %(now)s)
               ON CONFLICT (company_id, date) WHERE kind = 'confirmation' AND active
               DO NOTHING
            RETURNING id""",
            {
                "name": _("Confirmations %(day)s", day=fields.Date.to_string(day)),
                "day": day,
                "company": self.env.company.id,
                "uid": self.env.uid,
                "now": now,
            },
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.search(domain, limit=1)

    def _serialize_filling(self):
        """Make concurrent fills of this list run one after the other.

        Touching the list row takes its row lock: a second refresh waits, then
        fails with a serialization error that Odoo's RPC layer retries, and the
        retry sees the first one's rows instead of inserting them again.
        """
        self.flush_recordset()
        self.env.cr.execute(
            "UPDATE clinic_call_list SET write_date = %s, write_uid = %s WHERE id IN %s",
            [fields.Datetime.now(), self.env.uid, tuple(self.ids)],
            log_exceptions=False,
        )
        self.invalidate_recordset(["write_date", "write_uid"])

    def _sync_event_lines(self, events):
        """Make the rows of this list match ``events`` (kept in their order)."""
        self.ensure_one()
        self._serialize_filling()
        Line = self.env["clinic.call.list.line"]
        rows = Line.search([("list_id", "=", self.id), ("event_id", "!=", False)])
        by_event = {row.event_id: row for row in rows}
        new_events = events.filtered(lambda event: event not in by_event)
        numbers = new_events.patient_id._clinic_numbers_to_reach()
        to_create = []
        for position, event in enumerate(events, start=1):
            row = by_event.get(event)
            if row:
                if row.sequence != position:
                    row.sequence = position
                if row.state == "cancelled":
                    row._set_processing({"state": "todo"})  # the appointment is back on the day
                continue
            to_create.append(
                dict(Line._vals_for_event(event, None, numbers), list_id=self.id, sequence=position)
            )
        Line.create(to_create)
        gone = rows.filtered(
            lambda r: r.event_id not in events and r.state == "todo" and not r.lock_user_id
        )
        gone._set_processing({"state": "cancelled"})

    def _add_partners(self, partners):
        """Ad-hoc lists: one row per patient not already on the list."""
        self.ensure_one()
        self._serialize_filling()
        Line = self.env["clinic.call.list.line"]
        present = set(
            Line.search([("list_id", "=", self.id), ("state", "=", "todo")]).partner_id.ids
        )
        last = max(self.line_ids.mapped("sequence"), default=0)
        partners = partners.filtered(lambda p: p.id not in present)
        numbers = partners._clinic_numbers_to_reach()
        vals_list = []
        for partner in partners:
            last += 1
            vals_list.append(
                dict(
                    Line._vals_for_partner(partner, numbers),
                    list_id=self.id,
                    sequence=last,
                    res_model="res.partner",
                    res_id=partner.id,
                )
            )
        return Line.create(vals_list)

    def _add_activities(self, activities):
        """Task lists: one row per activity, by deadline."""
        self.ensure_one()
        self._serialize_filling()
        Line = self.env["clinic.call.list.line"]
        present = set(Line.search([("list_id", "=", self.id)]).activity_id.ids)
        last = max(self.line_ids.mapped("sequence"), default=0)
        todo = [
            (activity, Line._activity_partner(activity))
            for activity in activities.sorted(lambda a: (a.date_deadline, a.id))
            if activity.id not in present
        ]
        partners = self.env["res.partner"].concat(*(partner for _a, partner in todo))
        numbers = partners._clinic_numbers_to_reach()
        vals_list = []
        for activity, partner in todo:
            if not partner:
                continue
            last += 1
            vals_list.append(
                dict(
                    Line._vals_for_partner(partner, numbers),
                    list_id=self.id,
                    sequence=last,
                    activity_id=activity.id,
                    res_model=activity.res_model,
                    res_id=activity.res_id,
                    name=activity.summary or activity.activity_type_id.name,
                )
            )
        return Line.create(vals_list)

    def _task_activities(self):
        self.ensure_one()
        domain = [("res_model", "in", ("res.partner", "calendar.event"))]
        if self.activity_type_id:
            domain.append(("activity_type_id", "=", self.activity_type_id.id))
        return self.env["mail.activity"].search(domain)

    def action_refresh(self):
        """Refresh button: pull new appointments or tasks into the list."""
        self.check_access("write")
        for call_list in self:
            method = getattr(call_list, f"_refresh_{call_list.kind}", None)
            if method:
                method()
        return True

    def _refresh_confirmation(self):
        if not self.date:
            raise UserError(_("A confirmation list needs its day."))
        self.with_company(self.company_id)._sync_event_lines(self._confirmation_events(self.date))

    def _refresh_task(self):
        self._add_activities(self._task_activities())

    @api.model
    def _cron_fill_confirmation(self):
        """Daily: build tomorrow's confirmation list of every clinic company."""
        for company in self.env["res.company"].search([]):
            day = company._clinic_today() + timedelta(days=1)
            in_company = self.with_company(company)
            if in_company._confirmation_events(day):
                in_company._fill_confirmation(day)

    def action_open_operator(self):
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "clinic_calldrive.operator",
            "name": _("Call drive"),
            "params": {"list_id": self.id},
        }

    # ------------------------------------------------------------------
    # Operator screen (read by the OWL client action)
    # ------------------------------------------------------------------

    @api.model
    def operator_lists(self):
        """Open lists for the left column of the operator screen."""
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        # Confirmation lists of past days are history, not work.
        lists = self.search(
            ["|", ("kind", "!=", "confirmation"), ("date", ">=", fields.Date.context_today(self))]
        )
        return [
            {
                "id": call_list.id,
                "name": call_list.name,
                "kind": call_list.kind,
                "kind_label": kinds.get(call_list.kind),
                "date": fields.Date.to_string(call_list.date) if call_list.date else False,
                "todo_count": call_list.todo_count,
                "locked_count": call_list.locked_count,
                "row_filters": call_list._operator_row_filters(),
            }
            for call_list in lists
        ]

    def _operator_row_filters(self):
        """Hook: toggles offered above this list's rows, ``[{"name", "label"}]``.

        The screen sends the active ones back to :meth:`operator_rows`;
        :meth:`_operator_rows_domain` decides what they keep.
        """
        self.ensure_one()
        return []

    def operator_rows(self, filters=None):
        """Rows still to call, in list order, with their lock.

        ``filters``: ``{name: True}`` for the row filters the operator turned on.
        """
        self.ensure_one()
        filters = filters if isinstance(filters, dict) else {}
        lines = self.env["clinic.call.list.line"].search(self._operator_rows_domain(filters))
        return [line._row_data() for line in lines]

    def _operator_rows_domain(self, filters):
        """Hook: the rows the operator screen shows under ``filters``."""
        self.ensure_one()
        return [("list_id", "=", self.id), ("state", "=", "todo")]

    def operator_results(self):
        """Result statuses offered when finishing a row of this list (C3)."""
        self.ensure_one()
        return [
            {
                "id": result.id,
                "name": result.name,
                "is_success": result.is_success,
                # The rule the server applies when the row is finished (C7, C15).
                "comment_required": self._comment_required(result),
            }
            for result in self.env["clinic.call.result"]._for_kind(self.kind)
        ]

    def _comment_required(self, result):
        """Must the operator explain ``result`` on a row of this list? Addons add their rules."""
        self.ensure_one()
        return result.comment_required

    def _notify_lock(self, lines):
        """Push lock and state changes of ``lines`` to the list's operators (C4)."""
        for line in lines:
            line.list_id._bus_send(LOCK_NOTIFICATION, line._lock_payload())
