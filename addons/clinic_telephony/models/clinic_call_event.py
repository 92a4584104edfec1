from odoo import fields, models

from ..tools import events as ev

# P6: the first step of every PBX event in one round trip, as a PL/pgSQL function
# (PostgreSQL keeps the plans of its statements per connection; ingestion's own
# connection pool, ``..ingestion``, keeps them between events). Created by ``init()``
# on every install and update of the addon, dropped by its uninstall hook.
# PostgreSQL 13+.
#
# 1. ``p_adopt_number`` (outbound events of a PBX that does not know our call ids):
#    the newest click-to-call still ringing at the extension for that number takes
#    the PBX's call id (T5). SKIP LOCKED: a concurrent event of the same PBX call
#    waits on the unique key instead and then finds the adopted call.
# 2. The call row is inserted, or locked (ON CONFLICT DO UPDATE), and the event is
#    stored under its unique key, already linked to the call. A replayed event id
#    writes nothing (no row returned). A concurrent replay waits for the call's lock
#    and then meets the event's unique key (DO NOTHING).
# 3. A new statement, hence (READ COMMITTED) a new snapshot taken after the lock:
#    the call's columns the ingestion refolds, every event of the call (those
#    committed by other workers meanwhile included), the active desk phone with
#    the event's extension, and the holders of the phones concerned.
CLAIM_FUNCTION_SQL = """
DROP FUNCTION IF EXISTS clinic_call_claim(
    integer, varchar, varchar, varchar, varchar, timestamp, varchar, text, integer, varchar,
    varchar, varchar);
CREATE FUNCTION clinic_call_claim(
    p_pbx integer, p_call varchar, p_direction varchar, p_event varchar, p_type varchar,
    p_time timestamp, p_url varchar, p_payload text, p_uid integer, p_extension varchar,
    p_adopt_number varchar, p_own_prefix varchar)
RETURNS TABLE (
    id integer, created boolean, pbx_id integer, state varchar, start_date timestamp,
    answer_date timestamp, end_date timestamp, talk_duration integer, recording_url varchar,
    lost boolean, phone_id integer, user_id integer, company_id integer, direction varchar,
    call_type varchar, hidden_number boolean, number_e164 varchar, ring_group boolean,
    ring_phone_ids integer[], event_types varchar[], event_times timestamp[],
    event_urls varchar[], event_phone integer, event_phone_active boolean,
    event_phone_company integer, held_phones integer[], holders integer[],
    holders_allowed boolean[], user_allowed boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    c_id integer;
    c_created boolean;
    c_claimed boolean;
BEGIN
    IF p_adopt_number IS NOT NULL THEN
        UPDATE clinic_call SET pbx_call_id = p_call
         WHERE clinic_call.id = (
               SELECT c.id
                 FROM clinic_call c
                 JOIN clinic_telephony_phone ph ON ph.id = c.phone_id
                WHERE c.pbx_id = p_pbx AND c.direction = 'outbound' AND c.state = 'ringing'
                  AND c.pbx_call_id LIKE p_own_prefix || '%'
                  AND ph.extension = p_extension AND c.number_e164 = p_adopt_number
                  AND NOT EXISTS (SELECT 1 FROM clinic_call o
                                   WHERE o.pbx_id = p_pbx AND o.pbx_call_id = p_call)
                ORDER BY c.start_date DESC, c.id DESC
                LIMIT 1
                  FOR UPDATE OF c SKIP LOCKED);
    END IF;
    WITH call AS (
        INSERT INTO clinic_call AS c
               (pbx_id, company_id, pbx_call_id, direction, state, recording_state,
                start_date, talk_duration, lost, create_uid, write_uid, create_date, write_date)
        SELECT p_pbx, (SELECT p.company_id FROM clinic_pbx p WHERE p.id = p_pbx),
               p_call, p_direction, 'ringing', 'none', p_time, 0, false,
               p_uid, p_uid, now() at time zone 'UTC', now() at time zone 'UTC'
         WHERE NOT EXISTS (SELECT 1 FROM clinic_call_event e
                            WHERE e.pbx_id = p_pbx AND e.event_id = p_event)
        ON CONFLICT ON CONSTRAINT clinic_call_pbx_call_uniq
        DO UPDATE SET write_date = EXCLUDED.write_date
        RETURNING c.id, (c.xmax = 0) AS created
    ), claimed AS (
        INSERT INTO clinic_call_event AS e
               (pbx_id, event_id, event_type, event_time, recording_url, payload,
                call_id, received_at, create_uid, write_uid, create_date, write_date)
        SELECT p_pbx, p_event, p_type, p_time, p_url, p_payload,
               call.id, now() at time zone 'UTC', p_uid, p_uid,
               now() at time zone 'UTC', now() at time zone 'UTC'
          FROM call
        ON CONFLICT ON CONSTRAINT clinic_call_event_event_uniq DO NOTHING
        RETURNING e.id
    )
    SELECT call.id, call.created, EXISTS (SELECT 1 FROM claimed)
      INTO c_id, c_created, c_claimed
      FROM call;
    IF c_id IS NULL THEN
        RETURN;  -- the event id was received before
    END IF;
    IF NOT c_claimed THEN
        -- the same event id arrived at the same moment for another call
        IF c_created THEN
            DELETE FROM clinic_call c WHERE c.id = c_id;
        END IF;
        RETURN;
    END IF;
    RETURN QUERY
    SELECT c.id, c_created, c.pbx_id, c.state, c.start_date, c.answer_date, c.end_date,
           c.talk_duration, c.recording_url, c.lost, c.phone_id, c.user_id, c.company_id,
           c.direction, c.call_type, c.hidden_number, c.number_e164, c.ring_group,
           ARRAY(SELECT r.phone_id FROM clinic_call_ring_phone_rel r
                  WHERE c.ring_group AND r.call_id = c.id ORDER BY 1),
           ev.types, ev.times, ev.urls,
           ph.id, ph.active, ph.company_id,
           h.phones, h.users, h.allowed,
           (SELECT u.clinic_telephony_allowed FROM res_users u WHERE u.id = c.user_id)
      FROM clinic_call c
     CROSS JOIN LATERAL (
           SELECT array_agg(e.event_type) AS types, array_agg(e.event_time) AS times,
                  array_agg(COALESCE(e.recording_url, '')) AS urls
             FROM clinic_call_event e WHERE e.call_id = c.id) ev
      LEFT JOIN clinic_telephony_phone ph
             ON ph.pbx_id = c.pbx_id AND ph.extension = p_extension
     CROSS JOIN LATERAL (
           SELECT array_agg(p.id) AS phones, array_agg(p.user_id) AS users,
                  array_agg(u.clinic_telephony_allowed) AS allowed
             FROM clinic_telephony_phone p
             JOIN res_users u ON u.id = p.user_id
            WHERE p.id = ph.id AND ph.active OR p.id = c.phone_id
               OR c.ring_group AND p.id IN (SELECT r.phone_id
                                              FROM clinic_call_ring_phone_rel r
                                             WHERE r.call_id = c.id)) h
     WHERE c.id = c_id;
END $$;
"""

DROP_CLAIM_FUNCTION_SQL = """
DROP FUNCTION IF EXISTS clinic_call_claim(
    integer, varchar, varchar, varchar, varchar, timestamp, varchar, text, integer, varchar,
    varchar, varchar);
"""


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

    def init(self):
        # The function's result columns may change between versions: drop and create.
        self.env.cr.execute(CLAIM_FUNCTION_SQL)

    def _claim(self, pbx, event, payload, adopt_number=None, own_prefix=""):
        """Store the event and upsert its call; return ``(call, row)``.

        ``call`` is an empty recordset and ``row`` None when the event id was
        already received: a replay writes nothing. Otherwise the call row is
        inserted or locked for the rest of the transaction, so that the events
        of one call are folded one transaction at a time, and ``row`` holds
        what ``clinic.call._apply_events`` needs: the call's columns (those of
        the function's result), ``created``, ``events`` (type,
        time, recording URL of each), ``ring_phone_ids``, ``event_phone`` (the
        active desk phone with the event's extension) and
        ``event_phone_company`` (that of the phone with the extension, active
        or not), ``holders`` (phone id -> holder id of the phones concerned)
        and ``allowed`` (which of those users are linked to telephony).

        ``adopt_number``: the E.164 remote number of an outbound event, whose
        call may be a pending click-to-call (ids starting with ``own_prefix``)
        that now gets the PBX's call id (T5). See ``CLAIM_FUNCTION_SQL``.
        """
        Call = self.env["clinic.call"]
        # The function reads calls, phones and users: pending ORM writes go first. One
        # flush of everything: nearly free when nothing is pending, as in a webhook's
        # own transaction, where flushing model by model walks every field (P6).
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT * FROM clinic_call_claim(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
            [
                pbx.id,
                event.call_id,
                event.direction,
                event.event_id,
                event.type,
                event.timestamp,
                event.recording_url or None,
                payload,
                self.env.uid,
                event.extension or "",
                adopt_number,
                own_prefix,
            ],
        )
        row = self.env.cr.dictfetchone()
        if adopt_number:
            Call.invalidate_model(["pbx_call_id"])
        if not row:
            return Call, None
        call = Call.browse(row.pop("id"))
        if not row["created"]:
            # Another transaction may have changed it since this one read it.
            call.invalidate_recordset()
        row["events"] = list(
            zip(row.pop("event_types"), row.pop("event_times"), row.pop("event_urls"), strict=True)
        )
        if not row.pop("event_phone_active"):
            row["event_phone"] = None
        phones, users = row.pop("held_phones") or [], row.pop("holders") or []
        allowed = row.pop("holders_allowed") or []
        row["holders"] = dict(zip(phones, users, strict=True))
        row["allowed"] = {user for user, ok in zip(users, allowed, strict=True) if ok}
        if row.pop("user_allowed"):
            row["allowed"].add(row["user_id"])
        return call, row
