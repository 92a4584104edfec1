"""Lighter triggers on calls (P6).

The report's triggers skip calls that cannot count (WHEN clauses, under new
names for insert and delete), and a trigger now carries a call's date,
administrator, type and clinic onto its tag lines, which stop being ORM related
fields. The copies already hold the call's values: only the triggers change.
"""

from odoo.addons.clinic_telephony_analytics.hooks import create_report_day_code


def migrate(cr, version):
    if not version:
        return
    create_report_day_code(cr)
