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

    def _claim(self, pbx, event, payload):
        """Store the event and upsert its call in one statement; return (call, created).

        ``call`` is an empty recordset when the event id was already received: a
        replay writes nothing. Otherwise the call row is inserted or locked
        (``ON CONFLICT DO UPDATE``) for the rest of the transaction, so that the
        events of one call are folded one transaction at a time, and the event is
        stored already linked to it. A concurrent replay waits for the call's
        lock and then meets the event's unique key (``DO NOTHING``).
        """
        cr = self.env.cr
        cr.execute(
            """
            WITH call AS (
                INSERT INTO clinic_call
                       (pbx_id, company_id, pbx_call_id, direction, state, recording_state,
                        start_date, talk_duration, create_uid, write_uid, create_date,
                        write_date)
                SELECT %(pbx)s, (SELECT company_id FROM clinic_pbx WHERE id = %(pbx)s),
                       %(call_id)s, %(direction)s, 'ringing', 'none', %(time)s, 0,
                       %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                 WHERE NOT EXISTS (SELECT 1 FROM clinic_call_event
                                    WHERE pbx_id = %(pbx)s AND event_id = %(event_id)s)
                ON CONFLICT (pbx_id, pbx_call_id)
                DO UPDATE SET write_date = EXCLUDED.write_date
                RETURNING id, (xmax = 0) AS created
            ), claimed AS (
                INSERT INTO clinic_call_event
                       (pbx_id, event_id, event_type, event_time, recording_url, payload,
                        call_id, received_at, create_uid, write_uid, create_date, write_date)
                SELECT %(pbx)s, %(event_id)s, %(type)s, %(time)s, %(url)s, %(payload)s,
                       call.id, now() at time zone 'UTC', %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM call
                ON CONFLICT (pbx_id, event_id) DO NOTHING
                RETURNING id
            )
            SELECT call.id, call.created, EXISTS (SELECT 1 FROM claimed) FROM call
            """,
            {
                "pbx": pbx.id,
                "call_id": event.call_id,
                "direction": event.direction,
                "event_id": event.event_id,
                "type": event.type,
                "time": event.timestamp,
                "url": event.recording_url or None,
                "payload": payload,
                "uid": self.env.uid,
            },
        )
        row = cr.fetchone()
        Call = self.env["clinic.call"]
        if not row:
            return Call, False
        call_id, created, claimed = row
        if not claimed:
            # The same event id arrived at the same moment for another call.
            if created:
                cr.execute("DELETE FROM clinic_call WHERE id = %s", [call_id])
            return Call, False
        call = Call.browse(call_id)
        if not created:
            # Another transaction may have changed it since this one read it.
            call.invalidate_recordset()
        return call, created

    def _fold_input(self, call):
        """(type, time, recording URL) of every event of ``call``, for tools.call_state.fold."""
        self.env.cr.execute(
            """SELECT event_type, event_time, coalesce(recording_url, '')
                 FROM clinic_call_event WHERE call_id = %s""",
            [call.id],
        )
        return self.env.cr.fetchall()
