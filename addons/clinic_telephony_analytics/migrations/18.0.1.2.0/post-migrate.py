"""The report per clinic and with call backs (R6, issue 11.2; T16).

The daily table gets the company of the calls in its key, and the call-back
table is new: both are rebuilt once from the calls (the existing rows cannot be
split by company), with the functions and triggers that maintain them.
"""

from odoo.addons.clinic_telephony_analytics.hooks import TABLE_SQL, create_report_day_code

REPLACE_SQL = """
DROP TABLE IF EXISTS clinic_call_report_day;
-- the function's signature before the company argument
DROP FUNCTION IF EXISTS clinic_call_report_day_add(
    integer, varchar, timestamp, varchar, varchar, boolean, boolean, integer, integer);
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(REPLACE_SQL)
    cr.execute(TABLE_SQL)
    create_report_day_code(cr)
    cr.execute("SELECT clinic_call_report_day_rebuild(NULL)")
