"""Issue 17: the clinic's settings screen, for clinic managers who are not Odoo administrators."""

import importlib.util
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import ClinicMultiCompanyCommon


class SettingsCommon(ClinicMultiCompanyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="clinic_settings_manager",
            name="Sabine Manager",
            groups="clinic_base.group_clinic_manager",
            company_id=cls.company_a.id,
            company_ids=[(6, 0, (cls.company_a | cls.company_b).ids)],
        )


@tagged("post_install", "-at_install")
class TestClinicSettings(SettingsCommon, TransactionCase):
    def test_17_manager_is_no_administrator(self):
        self.assertFalse(self.manager.has_group("base.group_system"))
        self.assertFalse(self.manager.has_group("base.group_erp_manager"))
        with self.assertRaises(AccessError):
            self.company_a.with_user(self.manager).write({"clinic_tz": "Europe/Vienna"})

    def test_17_manager_changes_the_current_company_settings(self):
        Settings = self.env["clinic.settings"].with_user(self.manager)
        settings = Settings.create({"clinic_tz": "Europe/Vienna"})
        self.assertEqual(settings.execute()["tag"], "soft_reload")
        self.assertEqual(self.company_a.clinic_tz, "Europe/Vienna")
        self.assertEqual(self.company_b.clinic_tz, "Europe/Vienna")  # its own value, untouched
        Settings.with_company(self.company_b).create({"clinic_tz": "Europe/Berlin"})
        self.assertEqual(self.company_b.clinic_tz, "Europe/Berlin")
        self.assertEqual(self.company_a.clinic_tz, "Europe/Vienna")

    def test_17_screen_shows_the_current_company(self):
        Settings = self.env["clinic.settings"].with_user(self.manager)
        self.assertEqual(
            Settings.with_company(self.company_b).new({}).clinic_tz_in_force, "Europe/Vienna"
        )
        self.assertEqual(Settings.new({}).clinic_tz_in_force, "Europe/Berlin")

    def test_17_no_other_company_through_the_screen(self):
        Settings = self.env["clinic.settings"].with_user(self.manager)
        with self.assertRaises(AccessError):
            Settings.create({"company_id": self.company_b.id, "clinic_tz": "Asia/Tokyo"})
        settings = Settings.create({})
        with self.assertRaises(AccessError):
            settings.write({"company_id": self.company_b.id})
        self.assertEqual(self.company_b.clinic_tz, "Europe/Vienna")

    def test_17_operator_cannot_change_settings(self):
        Settings = self.env["clinic.settings"].with_user(self.operator)
        with self.assertRaises(AccessError):
            Settings.create({"clinic_tz": "Asia/Tokyo"})
        settings = self.env["clinic.settings"].with_user(self.manager).create({})
        with self.assertRaises(AccessError):
            settings.with_user(self.operator).write({"clinic_tz": "Asia/Tokyo"})
        with self.assertRaises(AccessError):
            settings.with_user(self.operator).execute()
        self.assertEqual(self.company_a.clinic_tz, "Europe/Berlin")

    def test_17_migration_drops_the_moved_blocks_of_odoo_settings(self):
        script = Path(__file__).parents[1] / "migrations" / "18.0.1.2.0" / "pre-migrate.py"
        spec = importlib.util.spec_from_file_location("clinic_base_pre_1_2_0", script)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        # A block as clinic_telephony 18.0.1.1.0 left it, naming a field Settings lost.
        old_block = self.env["ir.ui.view"].create(
            {
                "name": "old telephony block",
                "model": "res.config.settings",
                "inherit_id": self.env.ref("clinic_base.res_config_settings_view_form").id,
                "arch": '<xpath expr="//app" position="inside"><div/></xpath>',
            }
        )
        self.env["ir.model.data"].create(
            {
                "module": "clinic_telephony",
                "name": "res_config_settings_view_form",
                "model": "ir.ui.view",
                "res_id": old_block.id,
            }
        )
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertFalse(old_block.exists())
        self.assertFalse(self.env.ref("clinic_telephony.res_config_settings_view_form", False))
        self.assertTrue(self.env.ref("clinic_base.res_config_settings_view_form"))

    def test_17_menu_for_managers_only(self):
        menu = self.env.ref("clinic_base.menu_clinic_settings")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.manager)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.operator)._visible_menu_ids())


@tagged("post_install", "-at_install")
class TestClinicSettingsOverRpc(SettingsCommon, HttpCase):
    def _create_settings(self, login, values):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": "clinic.settings", "method": "create", "args": [values], "kwargs": {}},
        )

    def test_17_operator_refused_over_rpc(self):
        with self.assertRaises(JsonRpcException) as caught:
            self._create_settings("clinic_operator", {"clinic_tz": "Asia/Tokyo"})
        self.assertIn("AccessError", str(caught.exception))
        self.assertEqual(self.company_a.clinic_tz, "Europe/Berlin")

    def test_17_manager_over_rpc(self):
        self._create_settings("clinic_settings_manager", {"clinic_tz": "Asia/Tokyo"})
        self.assertEqual(self.company_a.clinic_tz, "Asia/Tokyo")
