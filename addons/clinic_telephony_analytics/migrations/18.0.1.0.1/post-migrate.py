"""Daily report table without PostgreSQL 15 syntax; code no longer rebuilt by init() (O1, O4).

18.0.1.0.0 keyed the table with a nulls-not-distinct unique constraint
(PostgreSQL 15 only) over nullable dimensions. Store unset dimensions as ``''`` under a plain unique
key instead, and install the functions that write ``''``. The rows' figures do
not change, so nothing is rebuilt.
"""

from odoo.addons.clinic_telephony_analytics.hooks import create_report_day_code

CONVERT_SQL = """
ALTER TABLE clinic_call_report_day DROP CONSTRAINT IF EXISTS clinic_call_report_day_key;
UPDATE clinic_call_report_day SET direction = '' WHERE direction IS NULL;
UPDATE clinic_call_report_day SET call_type = '' WHERE call_type IS NULL;
ALTER TABLE clinic_call_report_day
    ALTER COLUMN direction SET DEFAULT '',
    ALTER COLUMN direction SET NOT NULL,
    ALTER COLUMN call_type SET DEFAULT '',
    ALTER COLUMN call_type SET NOT NULL,
    ADD CONSTRAINT clinic_call_report_day_key
        UNIQUE (day, user_id, direction, call_type, has_booking);
-- the per-call covering index of the first version, superseded by the daily table
DROP INDEX IF EXISTS clinic_call_report_idx;
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(CONVERT_SQL)
    create_report_day_code(cr)
