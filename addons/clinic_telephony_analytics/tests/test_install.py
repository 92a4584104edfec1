import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged

from .. import hooks
from .common import AnalyticsCommon

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def load_migration(version, name):
    spec = importlib.util.spec_from_file_location(
        f"clinic_telephony_analytics_migration_{version.replace('.', '_')}",
        MIGRATIONS / version / f"{name}.py",
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestReportDayLifecycle(AnalyticsCommon, TransactionCase):
    """The daily table's SQL objects over install, upgrade and uninstall (O1, O4)."""

    def sql_objects(self):
        """Triggers, functions and tables of the daily table that exist now."""
        self.env.cr.execute(
            """SELECT 'trigger ' || tgname FROM pg_trigger
                WHERE tgname LIKE 'clinic_call_report%%' OR tgname LIKE 'clinic_call_tag_line%%'
               UNION ALL
               SELECT 'function ' || proname FROM pg_proc
                WHERE proname LIKE 'clinic_call_report%%' OR proname LIKE 'clinic_call_tag_line%%'
                   OR proname IN ('clinic_call_local_day', 'clinic_call_callback_seconds')
               UNION ALL
               SELECT 'table ' || relname FROM pg_class
                WHERE relname LIKE 'clinic_call_report%%' AND relkind = 'r'
               ORDER BY 1"""
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def insert_finished_call(self):
        """A finished call written in SQL, as the PBX ingestion does."""
        self.env.cr.execute(
            """INSERT INTO clinic_call (pbx_id, company_id, pbx_call_id, direction, state,
                                        recording_state, start_date, user_id, talk_duration)
               VALUES (%s, %s, 'after-uninstall', 'inbound', 'ended', 'none',
                       now() at time zone 'utc', %s, 10)
               RETURNING id""",
            [self.pbx.id, self.pbx.company_id.id, self.irina.id],
        )
        return self.env.cr.fetchone()[0]

    def test_o4_uninstall_hook_keeps_call_ingestion_working(self):
        """Uninstalling the addon leaves nothing on clinic_call or res_partner that reads
        its columns: calls are still written after Odoo drops ``has_booking`` (O4)."""
        self.assertIn("trigger clinic_call_report_day_insert", self.sql_objects())
        self.assertIn("trigger clinic_call_tag_line_follow", self.sql_objects())
        self.env.flush_all()
        with self.env.cr.savepoint(flush=False) as savepoint:
            hooks.uninstall_hook(self.env)
            self.assertEqual(self.sql_objects(), [])
            # what Odoo's uninstall does to the columns of this addon's fields next
            self.env.cr.execute(
                "ALTER TABLE clinic_call DROP COLUMN has_booking, DROP COLUMN conversion"
            )
            call_id = self.insert_finished_call()
            self.env.cr.execute(
                "UPDATE clinic_call SET state = 'failed', talk_duration = 0 WHERE id = %s",
                [call_id],
            )
            self.env.cr.execute(
                "UPDATE res_partner SET tz = 'Asia/Tokyo' WHERE id = %s",
                [self.irina.partner_id.id],
            )
            self.env.cr.execute("DELETE FROM clinic_call WHERE id = %s", [call_id])
            savepoint.rollback()

    def test_o1_daily_table_key_without_postgresql_15_syntax(self):
        """The key works on PostgreSQL 13: unset dimensions are stored as '' (O1)."""
        self.env.cr.execute(
            """SELECT pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conname = 'clinic_call_report_day_key'"""
        )
        (definition,) = self.env.cr.fetchone()
        self.assertNotIn("NULLS NOT DISTINCT", definition.upper())  # pg13-ok: the check
        self.make_call(self.irina, "incoming", "2026-03-02 09:00:00", talk=60)
        self.make_call(self.irina, "incoming", "2026-03-02 10:00:00", talk=60)
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT direction, call_type, call_count FROM clinic_call_report_day
                WHERE user_id = %s""",
            [self.irina.id],
        )
        self.assertEqual(self.env.cr.fetchall(), [("inbound", "incoming", 2)])

    def test_o4_migration_18_0_1_0_1_converts_the_first_daily_table(self):
        """A database built by 18.0.1.0.0 (nullable dimensions, PostgreSQL 15 key) is
        converted in place, keeps its figures and is maintained afterwards (O4)."""
        self.make_call(self.irina, "incoming", "2026-03-02 09:00:00", talk=60)
        self.make_call(self.jonas, "missed", "2026-03-03 09:00:00")
        self.env.flush_all()
        cr = self.env.cr
        # the shape 18.0.1.0.0 created; its key needs PostgreSQL 15 where available
        cr.execute("SELECT current_setting('server_version_num')::int >= 150000")
        (pg15,) = cr.fetchone()
        key = "UNIQUE NULLS NOT DISTINCT" if pg15 else "UNIQUE"  # pg13-ok: only on 15+
        cr.execute(
            f"""ALTER TABLE clinic_call_report_day
                    DROP CONSTRAINT clinic_call_report_day_key,
                    ALTER COLUMN direction DROP NOT NULL,
                    ALTER COLUMN direction DROP DEFAULT,
                    ALTER COLUMN call_type DROP NOT NULL,
                    ALTER COLUMN call_type DROP DEFAULT,
                    ADD CONSTRAINT clinic_call_report_day_key
                        {key} (day, user_id, direction, call_type, has_booking);
                UPDATE clinic_call_report_day SET call_type = NULL WHERE call_type = 'missed';
                DROP TRIGGER clinic_call_report_day_insert ON clinic_call"""
        )
        load_migration("18.0.1.0.1", "post-migrate").migrate(cr, "18.0.1.0.0")
        cr.execute(
            """SELECT column_name, is_nullable, column_default FROM information_schema.columns
                WHERE table_name = 'clinic_call_report_day'
                  AND column_name IN ('direction', 'call_type') ORDER BY 1"""
        )
        self.assertEqual(
            cr.fetchall(),
            [
                ("call_type", "NO", "''::character varying"),
                ("direction", "NO", "''::character varying"),
            ],
        )
        cr.execute("SELECT count(*) FROM clinic_call_report_day WHERE call_type = ''")
        self.assertEqual(cr.fetchone(), (1,))
        self.assertIn("trigger clinic_call_report_day_insert", self.sql_objects())
        self.assertIn("trigger clinic_call_tag_line_follow", self.sql_objects())
        self.make_call(self.jonas, "incoming", "2026-03-03 10:00:00", talk=5)
        self.env.flush_all()
        cr.execute(
            "SELECT sum(call_count) FROM clinic_call_report_day WHERE user_id = %s", [self.jonas.id]
        )
        self.assertEqual(cr.fetchone(), (2,))

    def test_o4_migration_18_0_1_2_0_splits_the_daily_table_by_clinic(self):
        """A database of 18.0.1.1.0 (no company in the daily table, no call-back table)
        gets both, rebuilt from its calls, and the old function goes (R6, T16, O4)."""
        self.make_call(self.irina, "missed", "2026-03-02 09:00:00")
        self.make_call(self.irina, "incoming", "2026-03-02 10:00:00", talk=60)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("SELECT clinic_call_report_day_rebuild(NULL)")
        cr.execute(
            """SELECT day, user_id, company_id, direction, call_type, has_booking,
                      call_count, answered_count, talk_seconds
                 FROM clinic_call_report_day ORDER BY 1, 2, 3, 4, 5, 6"""
        )
        expected_days = cr.fetchall()
        cr.execute("SELECT call_id, callback_seconds FROM clinic_call_report_callback")
        expected_callbacks = cr.fetchall()
        self.assertEqual(expected_callbacks[0][1], 3605)
        # the shape 18.0.1.1.0 left (its triggers replaced by the new ones on update)
        cr.execute(
            """DROP TABLE clinic_call_report_callback;
               ALTER TABLE clinic_call_report_day
                   DROP CONSTRAINT clinic_call_report_day_key,
                   DROP COLUMN company_id,
                   ADD CONSTRAINT clinic_call_report_day_key
                       UNIQUE (day, user_id, direction, call_type, has_booking);
               CREATE FUNCTION clinic_call_report_day_add(
                   integer, varchar, timestamp, varchar, varchar, boolean, boolean, integer,
                   integer)
               RETURNS void LANGUAGE sql AS 'SELECT NULL'"""
        )
        load_migration("18.0.1.2.0", "post-migrate").migrate(cr, "18.0.1.1.0")
        cr.execute(
            """SELECT day, user_id, company_id, direction, call_type, has_booking,
                      call_count, answered_count, talk_seconds
                 FROM clinic_call_report_day ORDER BY 1, 2, 3, 4, 5, 6"""
        )
        self.assertEqual(cr.fetchall(), expected_days)
        cr.execute("SELECT call_id, callback_seconds FROM clinic_call_report_callback")
        self.assertEqual(cr.fetchall(), expected_callbacks)
        cr.execute("SELECT count(*) FROM pg_proc WHERE proname = 'clinic_call_report_day_add'")
        self.assertEqual(cr.fetchone(), (1,))
        # and maintained afterwards
        self.make_call(self.jonas, "missed", "2026-03-03 09:00:00")
        self.env.flush_all()
        cr.execute(
            "SELECT count(*) FROM clinic_call_report_callback WHERE user_id = %s",
            [self.jonas.id],
        )
        self.assertEqual(cr.fetchone(), (1,))

    def test_o4_migration_18_0_1_3_0_lightens_the_call_triggers(self):
        """A database of 18.0.1.2.0 (one trigger for insert and delete, no WHEN clauses,
        tag lines as related fields) gets the triggers a new install has (P6)."""
        expected = self.sql_objects()
        cr = self.env.cr
        cr.execute(
            """DROP TRIGGER clinic_call_report_day_insert ON clinic_call;
               DROP TRIGGER clinic_call_report_day_delete ON clinic_call;
               DROP TRIGGER clinic_call_report_day_update ON clinic_call;
               DROP TRIGGER clinic_call_tag_line_follow ON clinic_call;
               DROP FUNCTION clinic_call_tag_line_follow_trigger();
               CREATE TRIGGER clinic_call_report_day AFTER INSERT OR DELETE ON clinic_call
                   FOR EACH ROW EXECUTE FUNCTION clinic_call_report_day_trigger();
               CREATE TRIGGER clinic_call_report_day_update
                   AFTER UPDATE OF user_id, company_id, state ON clinic_call
                   FOR EACH ROW EXECUTE FUNCTION clinic_call_report_day_trigger();"""
        )
        load_migration("18.0.1.3.0", "post-migrate").migrate(cr, "18.0.1.2.0")
        self.assertEqual(self.sql_objects(), expected)
        cr.execute(
            """SELECT pg_get_triggerdef(oid) FROM pg_trigger
                WHERE tgname = 'clinic_call_report_day_update'"""
        )
        self.assertIn("WHEN", cr.fetchone()[0])
        # the report and the tag lines are maintained afterwards
        call = self.make_call(self.irina, "missed", "2026-03-02 09:00:00")
        line = self.env["clinic.call.tag.line"].create({"call_id": call.id, "tag_name": "X"})
        call.user_id = self.jonas
        self.assertEqual(line.user_id, self.jonas)
        cr.execute(
            "SELECT sum(call_count) FROM clinic_call_report_day WHERE user_id = %s",
            [self.jonas.id],
        )
        self.assertEqual(cr.fetchone(), (1,))
