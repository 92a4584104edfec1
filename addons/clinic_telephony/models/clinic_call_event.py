from odoo import fields, models

from ..tools import events as ev


class ClinicCallEvent(models.Model):
    """A raw PBX event as received, kept for audit and for re-folding its call (T2)."""

    _name = "clinic.call.event"
    _description = "PBX call event"
    _order = "event_time, id"
    _rec_name = "event_id"

    pbx_id = fields.Many2one("clinic.pbx", "PBX", required=True, ondelete="cascade")
    event_id = fields.Char("Event ID", required=True, readonly=True)
    event_type = fields.Selection([(t, t) for t in ev.TYPES], "Type", required=True, readonly=True)
    event_time = fields.Datetime("Occurred at", required=True, readonly=True)
    recording_url = fields.Char("Recording URL", readonly=True, groups="base.group_system")
    payload = fields.Text(readonly=True, groups="base.group_system")
    received_at = fields.Datetime("Received at", default=fields.Datetime.now, readonly=True)
    call_id = fields.Many2one("clinic.call", "Call", index=True, ondelete="cascade", readonly=True)

    _sql_constraints = [
        ("event_uniq", "unique (pbx_id, event_id)", "This event was already received."),
    ]

    def _clinic_claim(self, pbx, event, payload):
        """Insert the event unless its id was seen; return the new row or an empty set.

        ``ON CONFLICT DO NOTHING`` makes a concurrent replay wait for the first
        insert and then see the conflict, instead of failing the transaction.
        """
        self.env.cr.execute(
            """
            INSERT INTO clinic_call_event
                   (pbx_id, event_id, event_type, event_time, recording_url, payload,
                    received_at, create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, %s, %s, %s, %s,
                    now() at time zone 'UTC', %s, %s,
                    now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (pbx_id, event_id) DO NOTHING
            RETURNING id
            """,
            [
                pbx.id,
                event.event_id,
                event.type,
                event.timestamp,
                event.recording_url or None,
                payload,
                self.env.uid,
                self.env.uid,
            ],
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.browse()

    def _clinic_attach(self, call):
        """Link freshly claimed events to their call (rows written in SQL, not cached)."""
        self.env.cr.execute(
            "UPDATE clinic_call_event SET call_id = %s WHERE id = ANY(%s)", [call.id, self.ids]
        )
        self.invalidate_recordset(["call_id"])
        call.invalidate_recordset(["event_ids"])

    def _clinic_fold_input(self, call):
        """(type, time, recording URL) of every event of ``call``, for tools.call_state.fold."""
        self.env.cr.execute(
            """SELECT event_type, event_time, coalesce(recording_url, '')
                 FROM clinic_call_event WHERE call_id = %s""",
            [call.id],
        )
        return self.env.cr.fetchall()
