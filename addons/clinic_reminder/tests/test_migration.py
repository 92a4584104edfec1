"""The 18.0.1.2.0 pre-migration gives gateways and messages their company (R6)."""

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged

from .common import ClinicReminderCommon


@tagged("post_install", "-at_install")
class TestMigration(ClinicReminderCommon, TransactionCase):
    def test_r6_migration_fills_companies(self):
        _visit, campaign = self.make_sent_campaign(self.anna, 9)
        other = self.env["res.company"].create({"name": "Second clinic"})
        spare = self.env["clinic.reminder.gateway"].create(
            {"name": "Spare", "code": "spare", "kind": "http_json", "company_id": other.id}
        )
        self.env.flush_all()
        # As before the upgrade (the test's transaction undoes the DDL too).
        self.env.cr.execute(
            "ALTER TABLE clinic_reminder_gateway ALTER COLUMN company_id DROP NOT NULL"
        )
        self.env.cr.execute(
            "UPDATE clinic_reminder_gateway SET company_id = NULL WHERE id IN %s",
            [(self.gw_sms.id, spare.id)],
        )
        self.env.cr.execute(
            "UPDATE clinic_reminder_message SET company_id = NULL WHERE campaign_id = %s",
            [campaign.id],
        )
        script = Path(__file__).parents[1] / "migrations" / "18.0.1.2.0" / "pre-migrate.py"
        spec = importlib.util.spec_from_file_location("pre_migrate", script)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(self.gw_sms.company_id, self.company, "the company using it")
        self.assertEqual(spare.company_id, self.env["res.company"].search([], order="id", limit=1))
        self.assertEqual(campaign.message_ids.company_id, self.company)
