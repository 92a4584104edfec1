"""The effectiveness report's tables: created on install, dropped on uninstall (O4).

P3: finished calls of bound administrators pre-aggregated per clinic (R6),
administrator and local day (plus the dimensions of the report) in
``clinic_call_report_day``; and one row per missed call in
``clinic_call_report_callback`` with the seconds until the number was reached
again (T16), which a median needs call by call. PostgreSQL triggers keep both
exact and live: every insert, update or delete of a call moves its contribution
in the same transaction, a connection updates the earlier missed calls of its
number, and a change of an administrator's time zone re-buckets their calls.

The triggers sit on other addons' tables (``clinic_call``, ``res_partner``) and
read this addon's ``clinic_call.has_booking``: the uninstall hook removes them
before Odoo drops that column, or every following PBX event would fail. The
structure changes through ``migrations/``, never in ``init()`` (an update must
not rebuild a million-call table). SQL for PostgreSQL 13+ (SPEC O1): the unique
key needs no nulls-not-distinct option (PostgreSQL 15) because the dimensions
are stored as ``''`` when unset.

One more trigger copies a call's date, administrator, type and clinic onto its
tag lines (``clinic.call.tag.line``) when they change.
"""

TABLE_SQL = """
CREATE TABLE clinic_call_report_day (
    id serial PRIMARY KEY,
    day date NOT NULL,
    user_id integer NOT NULL REFERENCES res_users (id) ON DELETE CASCADE,
    company_id integer NOT NULL REFERENCES res_company (id) ON DELETE CASCADE,
    direction varchar NOT NULL DEFAULT '',
    call_type varchar NOT NULL DEFAULT '',
    has_booking boolean NOT NULL,
    call_count integer NOT NULL,
    answered_count integer NOT NULL,
    talk_seconds bigint NOT NULL,
    CONSTRAINT clinic_call_report_day_key
        UNIQUE (day, user_id, company_id, direction, call_type, has_booking)
);
-- no foreign key to clinic_call: the trigger removes the row with its call
CREATE TABLE clinic_call_report_callback (
    call_id integer PRIMARY KEY,
    day date NOT NULL,
    user_id integer NOT NULL REFERENCES res_users (id) ON DELETE CASCADE,
    company_id integer NOT NULL REFERENCES res_company (id) ON DELETE CASCADE,
    callback_seconds float8
);
"""

FUNCTIONS_SQL = """
-- the day of a UTC timestamp in a time zone; an unknown zone name falls back to UTC
CREATE OR REPLACE FUNCTION clinic_call_local_day(ts timestamp, tz varchar)
RETURNS date LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN ((ts AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(NULLIF(tz, ''), 'UTC'))::date;
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN ts::date;
END $$;

-- add (sign 1) or remove (sign -1) one call's contribution; scalar arguments rather
-- than the clinic_call row type, which other addons may extend while servers run
CREATE OR REPLACE FUNCTION clinic_call_report_day_add(
    c_user_id integer, c_company_id integer, c_state varchar, c_start_date timestamp,
    c_direction varchar, c_call_type varchar, c_has_booking boolean, c_answered boolean,
    c_talk integer, sign integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    row_id integer;
    remaining integer;
BEGIN
    IF c_user_id IS NULL OR c_state NOT IN ('ended', 'failed') THEN
        RETURN;
    END IF;
    INSERT INTO clinic_call_report_day AS r
           (day, user_id, company_id, direction, call_type, has_booking,
            call_count, answered_count, talk_seconds)
    SELECT clinic_call_local_day(c_start_date, p.tz), c_user_id, c_company_id,
           COALESCE(c_direction, ''), COALESCE(c_call_type, ''),
           COALESCE(c_has_booking, false), sign, sign * c_answered::int,
           sign * COALESCE(c_talk, 0)
      FROM res_users u JOIN res_partner p ON p.id = u.partner_id
     WHERE u.id = c_user_id
    ON CONFLICT ON CONSTRAINT clinic_call_report_day_key DO UPDATE
       SET call_count = r.call_count + EXCLUDED.call_count,
           answered_count = r.answered_count + EXCLUDED.answered_count,
           talk_seconds = r.talk_seconds + EXCLUDED.talk_seconds
    RETURNING r.id, r.call_count INTO row_id, remaining;
    IF remaining = 0 THEN
        DELETE FROM clinic_call_report_day WHERE id = row_id;
    END IF;
END $$;

-- seconds from the end of a missed call to the next connection with its number in
-- its clinic, incoming or outgoing (T16); NULL while nobody got through
CREATE OR REPLACE FUNCTION clinic_call_callback_seconds(
    c_company_id integer, c_number varchar, c_end_date timestamp)
RETURNS float8 LANGUAGE sql STABLE AS $$
    SELECT EXTRACT(EPOCH FROM min(n.answer_date) - c_end_date)::float8
      FROM clinic_call n
     WHERE n.company_id = c_company_id AND n.number_e164 = c_number
       AND n.answer_date >= c_end_date
$$;

-- a connection with a number (or its removal) changes the call-back time of the
-- earlier missed calls of that number in that clinic
CREATE OR REPLACE FUNCTION clinic_call_report_callback_refresh(
    c_company_id integer, c_number varchar)
RETURNS void LANGUAGE sql AS $$
    UPDATE clinic_call_report_callback r
       SET callback_seconds = clinic_call_callback_seconds(c.company_id, c.number_e164,
                                                           c.end_date)
      FROM clinic_call c
     WHERE c.company_id = c_company_id AND c.number_e164 = c_number
       AND c.call_type = 'missed' AND r.call_id = c.id
       AND r.callback_seconds IS DISTINCT FROM clinic_call_callback_seconds(
               c.company_id, c.number_e164, c.end_date)
$$;

CREATE OR REPLACE FUNCTION clinic_call_report_day_trigger()
RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_connects boolean;
    new_connects boolean;
BEGIN
    -- call backs (T16): a finished missed call has its row ...
    IF TG_OP <> 'INSERT' AND OLD.call_type = 'missed' THEN
        DELETE FROM clinic_call_report_callback WHERE call_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.call_type = 'missed' AND NEW.user_id IS NOT NULL
       AND NEW.state IN ('ended', 'failed') THEN
        INSERT INTO clinic_call_report_callback
               (call_id, day, user_id, company_id, callback_seconds)
        SELECT NEW.id, clinic_call_local_day(NEW.start_date, p.tz), NEW.user_id,
               NEW.company_id,
               clinic_call_callback_seconds(NEW.company_id, NEW.number_e164, NEW.end_date)
          FROM res_users u JOIN res_partner p ON p.id = u.partner_id
         WHERE u.id = NEW.user_id;
    END IF;
    -- ... which a connection with the same number updates
    old_connects := TG_OP <> 'INSERT' AND OLD.answer_date IS NOT NULL
                    AND OLD.number_e164 IS NOT NULL;
    new_connects := TG_OP <> 'DELETE' AND NEW.answer_date IS NOT NULL
                    AND NEW.number_e164 IS NOT NULL;
    IF TG_OP <> 'UPDATE' OR NEW.answer_date IS DISTINCT FROM OLD.answer_date
       OR NEW.number_e164 IS DISTINCT FROM OLD.number_e164
       OR NEW.company_id <> OLD.company_id THEN
        IF old_connects THEN
            PERFORM clinic_call_report_callback_refresh(OLD.company_id, OLD.number_e164);
        END IF;
        IF new_connects AND NOT (old_connects AND NEW.company_id = OLD.company_id
                                 AND NEW.number_e164 = OLD.number_e164) THEN
            PERFORM clinic_call_report_callback_refresh(NEW.company_id, NEW.number_e164);
        END IF;
    END IF;
    -- the daily figures
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NOT NULL
       AND NEW.user_id = OLD.user_id AND NEW.company_id = OLD.company_id
       AND NEW.start_date = OLD.start_date
       AND NEW.state IN ('ended', 'failed') AND OLD.state IN ('ended', 'failed')
       AND NEW.direction IS NOT DISTINCT FROM OLD.direction
       AND NEW.call_type IS NOT DISTINCT FROM OLD.call_type
       AND COALESCE(NEW.has_booking, false) = COALESCE(OLD.has_booking, false) THEN
        -- the call stays in its row: only its answered flag and talk time move
        UPDATE clinic_call_report_day d
           SET answered_count = d.answered_count
                   + (NEW.answer_date IS NOT NULL)::int - (OLD.answer_date IS NOT NULL)::int,
               talk_seconds = d.talk_seconds
                   + COALESCE(NEW.talk_duration, 0) - COALESCE(OLD.talk_duration, 0)
          FROM res_users u JOIN res_partner p ON p.id = u.partner_id
         WHERE u.id = NEW.user_id
           AND d.day = clinic_call_local_day(NEW.start_date, p.tz)
           AND d.user_id = NEW.user_id
           AND d.company_id = NEW.company_id
           AND d.direction = COALESCE(NEW.direction, '')
           AND d.call_type = COALESCE(NEW.call_type, '')
           AND d.has_booking = COALESCE(NEW.has_booking, false);
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM clinic_call_report_day_add(
            OLD.user_id, OLD.company_id, OLD.state, OLD.start_date, OLD.direction,
            OLD.call_type, OLD.has_booking, OLD.answer_date IS NOT NULL, OLD.talk_duration, -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM clinic_call_report_day_add(
            NEW.user_id, NEW.company_id, NEW.state, NEW.start_date, NEW.direction,
            NEW.call_type, NEW.has_booking, NEW.answer_date IS NOT NULL, NEW.talk_duration, 1);
    END IF;
    RETURN NULL;
END $$;

-- rebuild from the calls, for some administrators (NULL: everyone)
CREATE OR REPLACE FUNCTION clinic_call_report_day_rebuild(user_ids integer[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM clinic_call_report_day
     WHERE user_ids IS NULL OR user_id = ANY(user_ids);
    INSERT INTO clinic_call_report_day
           (day, user_id, company_id, direction, call_type, has_booking,
            call_count, answered_count, talk_seconds)
    SELECT clinic_call_local_day(c.start_date, p.tz), c.user_id, c.company_id,
           COALESCE(c.direction, ''), COALESCE(c.call_type, ''),
           COALESCE(c.has_booking, false),
           count(*), count(c.answer_date), COALESCE(sum(c.talk_duration), 0)
      FROM clinic_call c
      JOIN res_users u ON u.id = c.user_id
      JOIN res_partner p ON p.id = u.partner_id
     WHERE c.state IN ('ended', 'failed')
       AND (user_ids IS NULL OR c.user_id = ANY(user_ids))
     GROUP BY 1, 2, 3, 4, 5, 6;
    DELETE FROM clinic_call_report_callback
     WHERE user_ids IS NULL OR user_id = ANY(user_ids);
    INSERT INTO clinic_call_report_callback
           (call_id, day, user_id, company_id, callback_seconds)
    SELECT c.id, clinic_call_local_day(c.start_date, p.tz), c.user_id, c.company_id,
           clinic_call_callback_seconds(c.company_id, c.number_e164, c.end_date)
      FROM clinic_call c
      JOIN res_users u ON u.id = c.user_id
      JOIN res_partner p ON p.id = u.partner_id
     WHERE c.state IN ('ended', 'failed') AND c.call_type = 'missed'
       AND (user_ids IS NULL OR c.user_id = ANY(user_ids));
END $$;

-- a call's tag lines keep a copy of its date, administrator, type and clinic (T9, R6)
CREATE OR REPLACE FUNCTION clinic_call_tag_line_follow_trigger()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE clinic_call_tag_line
       SET call_date = NEW.start_date, user_id = NEW.user_id,
           call_type = NEW.call_type, company_id = NEW.company_id
     WHERE call_id = NEW.id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION clinic_call_report_day_tz_trigger()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM clinic_call_report_day_rebuild(
        ARRAY(SELECT id FROM res_users WHERE partner_id = NEW.id));
    RETURN NULL;
END $$;
"""


def _counts(row):
    """SQL: whether the report tables hold anything of ``row`` (OLD or NEW): a call
    finished with an administrator, or answered with a number (a call back of earlier
    missed calls). The WHEN clauses below skip the function for the others, such as
    every new call still ringing (P6)."""
    return (
        f"{row}.user_id IS NOT NULL AND {row}.state IN ('ended', 'failed')"
        f" OR {row}.answer_date IS NOT NULL AND {row}.number_e164 IS NOT NULL"
    )


TRIGGERS_SQL = f"""
DROP TRIGGER IF EXISTS clinic_call_report_day ON clinic_call;
DROP TRIGGER IF EXISTS clinic_call_report_day_insert ON clinic_call;
CREATE TRIGGER clinic_call_report_day_insert
    AFTER INSERT ON clinic_call
    FOR EACH ROW WHEN ({_counts("NEW")})
    EXECUTE FUNCTION clinic_call_report_day_trigger();
DROP TRIGGER IF EXISTS clinic_call_report_day_delete ON clinic_call;
CREATE TRIGGER clinic_call_report_day_delete
    AFTER DELETE ON clinic_call
    FOR EACH ROW WHEN ({_counts("OLD")})
    EXECUTE FUNCTION clinic_call_report_day_trigger();
-- updates of other columns (recording, write_date...) do not reach the function
DROP TRIGGER IF EXISTS clinic_call_report_day_update ON clinic_call;
CREATE TRIGGER clinic_call_report_day_update
    AFTER UPDATE OF user_id, company_id, state, start_date, end_date, direction, call_type,
                    has_booking, answer_date, talk_duration, number_e164 ON clinic_call
    FOR EACH ROW WHEN ({_counts("OLD")} OR {_counts("NEW")})
    EXECUTE FUNCTION clinic_call_report_day_trigger();

DROP TRIGGER IF EXISTS clinic_call_tag_line_follow ON clinic_call;
CREATE TRIGGER clinic_call_tag_line_follow
    AFTER UPDATE OF start_date, user_id, call_type, company_id ON clinic_call
    FOR EACH ROW WHEN (
        OLD.start_date IS DISTINCT FROM NEW.start_date
        OR OLD.user_id IS DISTINCT FROM NEW.user_id
        OR OLD.call_type IS DISTINCT FROM NEW.call_type
        OR OLD.company_id IS DISTINCT FROM NEW.company_id)
    EXECUTE FUNCTION clinic_call_tag_line_follow_trigger();

DROP TRIGGER IF EXISTS clinic_call_report_day_tz ON res_partner;
CREATE TRIGGER clinic_call_report_day_tz
    AFTER UPDATE OF tz ON res_partner
    FOR EACH ROW WHEN (OLD.tz IS DISTINCT FROM NEW.tz)
    EXECUTE FUNCTION clinic_call_report_day_tz_trigger();
"""

# Everything TABLE_SQL, FUNCTIONS_SQL and TRIGGERS_SQL create, in dependency order.
DROP_SQL = """
DROP TRIGGER IF EXISTS clinic_call_report_day ON clinic_call;
DROP TRIGGER IF EXISTS clinic_call_report_day_insert ON clinic_call;
DROP TRIGGER IF EXISTS clinic_call_report_day_delete ON clinic_call;
DROP TRIGGER IF EXISTS clinic_call_tag_line_follow ON clinic_call;
DROP FUNCTION IF EXISTS clinic_call_tag_line_follow_trigger();
DROP TRIGGER IF EXISTS clinic_call_report_day_update ON clinic_call;
DROP TRIGGER IF EXISTS clinic_call_report_day_tz ON res_partner;
DROP FUNCTION IF EXISTS clinic_call_report_day_tz_trigger();
DROP FUNCTION IF EXISTS clinic_call_report_day_trigger();
DROP FUNCTION IF EXISTS clinic_call_report_day_rebuild(integer[]);
DROP FUNCTION IF EXISTS clinic_call_report_callback_refresh(integer, varchar);
DROP FUNCTION IF EXISTS clinic_call_callback_seconds(integer, varchar, timestamp);
DROP FUNCTION IF EXISTS clinic_call_report_day_add(
    integer, integer, varchar, timestamp, varchar, varchar, boolean, boolean, integer, integer);
DROP FUNCTION IF EXISTS clinic_call_local_day(timestamp, varchar);
DROP TABLE IF EXISTS clinic_call_report_callback;
DROP TABLE IF EXISTS clinic_call_report_day;
"""


def create_report_day_code(cr):
    """(Re)create the functions and triggers; used by install and migrations."""
    cr.execute(FUNCTIONS_SQL)
    cr.execute(TRIGGERS_SQL)


def post_init_hook(env):
    env.cr.execute(TABLE_SQL)
    create_report_day_code(env.cr)
    # calls may predate the install (clinic_telephony ran without analytics)
    env["clinic.call"].flush_model()
    env.cr.execute("SELECT clinic_call_report_day_rebuild(NULL)")


def uninstall_hook(env):
    env.cr.execute(DROP_SQL)
