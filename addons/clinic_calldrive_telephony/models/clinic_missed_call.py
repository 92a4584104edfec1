from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons.clinic_base.tools.phone import display
from odoo.exceptions import UserError

NOTIFICATION = "clinic_calldrive_telephony/missed"


class ClinicMissedCall(models.Model):
    """A number to call back: its last call was missed and none has connected since (T16).

    One open row per clinic and number, kept by telephony's ingestion (see
    ``clinic.call._missed_call_update``): a missed call opens it or counts one
    more miss; any call with that number that connects, incoming or outgoing,
    closes it. Every change goes to the screens of the clinic's telephony
    users over the bus, so the list is live everywhere.
    """

    _name = "clinic.missed.call"
    _description = "Missed call to call back"
    _order = "state desc, deadline, id"
    _rec_name = "number_display"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    number_e164 = fields.Char("Number (E.164)", required=True, readonly=True)
    number_display = fields.Char("Number", compute="_compute_number_display")
    partner_id = fields.Many2one("res.partner", "Patient", readonly=True)
    call_id = fields.Many2one("clinic.call", "Last missed call", readonly=True, ondelete="cascade")
    first_missed_at = fields.Datetime("Missed at", required=True, readonly=True)
    missed_at = fields.Datetime("Last missed at", required=True, readonly=True)
    missed_count = fields.Integer("Missed calls", default=1, readonly=True)
    deadline = fields.Datetime("Call back by", required=True, readonly=True, index=True)
    state = fields.Selection(
        [("todo", "To call back"), ("done", "Called back")],
        default="todo",
        required=True,
        readonly=True,
        index=True,
    )
    done_call_id = fields.Many2one(
        "clinic.call", "Connected call", readonly=True, ondelete="set null"
    )
    done_at = fields.Datetime("Connected at", readonly=True)
    callback_seconds = fields.Integer(
        "Time to call back (s)",
        readonly=True,
        aggregator="avg",
        help="From the first missed call to the call that connected.",
    )

    def init(self):
        # One open row per clinic and number, whichever worker sees the miss first.
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS clinic_missed_call_open_uniq
                   ON clinic_missed_call (company_id, number_e164) WHERE state = 'todo'"""
        )

    @api.depends("number_e164", "company_id")
    def _compute_number_display(self):
        for row in self:
            row.number_display = display(row.number_e164, row.company_id.country_id.code)

    # --- kept by telephony's ingestion (sudo records) -----------------------------

    @api.model
    def _missed(self, call):
        """``call`` ended missed: open its number's row or count one more miss."""
        minutes = call.company_id.clinic_missed_call_minutes or 15
        self.flush_model()
        self.env.cr.execute(
            """
            INSERT INTO clinic_missed_call AS r
                   (company_id, number_e164, partner_id, call_id, first_missed_at, missed_at,
                    missed_count, deadline, state, create_uid, write_uid, create_date,
                    write_date)
            VALUES (%(company)s, %(number)s, %(partner)s, %(call)s, %(at)s, %(at)s, 1,
                    %(deadline)s, 'todo', %(uid)s, %(uid)s, now() at time zone 'UTC',
                    now() at time zone 'UTC')
            ON CONFLICT (company_id, number_e164) WHERE state = 'todo'
            DO UPDATE SET call_id = EXCLUDED.call_id, missed_at = EXCLUDED.missed_at,
                          missed_count = r.missed_count + 1,
                          partner_id = COALESCE(EXCLUDED.partner_id, r.partner_id),
                          write_date = EXCLUDED.write_date
            RETURNING id
            """,
            {
                "company": call.company_id.id,
                "number": call.number_e164,
                "partner": call.partner_id.id or None,
                "call": call.id,
                "at": call.end_date or call.start_date,
                "deadline": (call.end_date or call.start_date) + timedelta(minutes=minutes),
                "uid": self.env.uid,
            },
        )
        row = self.browse(self.env.cr.fetchone()[0])
        row.invalidate_recordset()
        row._notify()

    @api.model
    def _connected(self, call_id, company_id, number, answered_at):
        """Call ``call_id`` with ``number`` connected in ``company_id`` at ``answered_at``:
        the number's open row is done (T16). Values, not the call: ingestion has them
        without loading the call (P6)."""
        self.flush_model()
        self.env.cr.execute(
            """
            UPDATE clinic_missed_call
               SET state = 'done', done_call_id = %(call)s, done_at = %(at)s,
                   callback_seconds = GREATEST(
                       0, EXTRACT(EPOCH FROM %(at)s - first_missed_at))::integer,
                   write_date = now() at time zone 'UTC'
             WHERE company_id = %(company)s AND number_e164 = %(number)s AND state = 'todo'
            RETURNING id
            """,
            {"call": call_id, "at": answered_at, "company": company_id, "number": number},
        )
        rows = self.browse([row[0] for row in self.env.cr.fetchall()])
        rows.invalidate_recordset()
        rows._notify()

    def _payload(self):
        self.ensure_one()
        return {
            "id": self.id,
            "state": self.state,
            "number": self.number_display,
            "partner": {"id": self.partner_id.id, "name": self.partner_id.name}
            if self.partner_id
            else False,
            "missed_count": self.missed_count,
            "deadline": fields.Datetime.to_string(self.deadline),
        }

    def _notify(self):
        """Tell every telephony user of the row's clinic: the list is live (T16, P7)."""
        self.company_id._clinic_wallboard_changed("missed")
        for row in self:
            # sudo: res.users - the clinic's telephony users to tell; nothing is returned.
            users = (
                self.env["res.users"]
                .sudo()
                .search(
                    [
                        ("clinic_telephony_allowed", "=", True),
                        ("company_ids", "in", row.company_id.id),
                    ]
                )
            )
            users.partner_id._bus_send(NOTIFICATION, row._payload())

    # --- the list's button ------------------------------------------------------------

    def action_call_back(self):
        """Call the number back through the PBX (click-to-call, T16)."""
        self.ensure_one()
        self.check_access("read")
        if self.state != "todo":
            raise UserError(_("This number has already been called back."))
        # sudo: clinic.missed.call - the number of a row the user may read.
        row = self.sudo()
        card = self.env["clinic.call"].dial(row.number_e164, partner_id=row.partner_id.id or False)
        if card["state"] == "failed":
            raise UserError(card["failure"])
        return True
