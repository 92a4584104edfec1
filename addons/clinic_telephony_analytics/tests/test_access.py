import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import AnalyticsCommon

REPORT_MODELS = (
    "clinic.call.effectiveness.report",
    "clinic.call.effectiveness.export",
)


@tagged("post_install", "-at_install")
class TestAccess(AnalyticsCommon, TransactionCase):
    def test_t9_only_managers_change_tag_settings(self):
        Settings = self.env["clinic.settings"]
        with self.assertRaises(AccessError):
            Settings.with_user(self.irina).create({"clinic_call_tags": True})
        # Even an Odoo administrator needs the clinic manager right.
        admin_only = new_test_user(self.env, login="anl_sysadmin", groups="base.group_system")
        self.assertFalse(admin_only.has_group("clinic_base.group_clinic_manager"))
        with self.assertRaises(AccessError):
            Settings.with_user(admin_only).create({"clinic_call_tags": True})
        company = self.env.company
        self.assertFalse(company.clinic_call_tags)
        # A clinic manager needs no Odoo administrator right (issue 17).
        self.assertFalse(self.manager.has_group("base.group_system"))
        Settings.with_user(self.manager).create(
            {"clinic_call_tags": True, "clinic_call_tag_mode": "always"}
        ).execute()
        self.assertEqual((company.clinic_call_tags, company.clinic_call_tag_mode), (True, "always"))
        # Directly on the company, too, the switch needs a clinic manager.
        with self.assertRaises(AccessError):
            company.with_user(admin_only).write({"clinic_call_tags": False})

    def test_t9_only_managers_edit_tags(self):
        with self.assertRaises(AccessError):
            self.env["clinic.call.tag.group"].with_user(self.irina).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["clinic.call.tag.group"].with_user(self.supervisor).create({"name": "Mine"})
        group = self.env["clinic.call.tag.group"].with_user(self.manager).create({"name": "Ok"})
        self.assertTrue(group.with_user(self.irina).name, "operators read tags for the popup")

    def test_t8_reports_need_call_history(self):
        for model in REPORT_MODELS:
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.irina).search([])
            self.env[model].with_user(self.supervisor).search([])

    def tag(self, call):
        return self.env["clinic.call.tag.line"].create(
            {"call_id": call.id, "tag_name": "Price", "group_name": "Why no booking"}
        )

    def test_r6_tags_set_follow_their_call(self):
        own = self.tag(self.make_call(self.irina, "incoming", "2026-03-02 09:00:00", talk=30))
        other = self.tag(self.make_call(self.jonas, "incoming", "2026-03-02 10:00:00", talk=30))
        Lines = self.env["clinic.call.tag.line"]
        self.assertEqual(Lines.with_user(self.irina).search([]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.irina).read(["tag_name"])
        self.assertEqual(Lines.with_user(self.supervisor).search([]), own | other)
        # A second clinic's supervisor sees none of them.
        company2 = self.env["res.company"].create({"name": "Second clinic"})
        stranger = new_test_user(
            self.env,
            login="anl_stranger",
            groups="clinic_telephony.group_call_history",
            company_id=company2.id,
            company_ids=[(6, 0, company2.ids)],
        )
        self.assertFalse(Lines.with_user(stranger).search([]))
        self.assertEqual(own.company_id, self.env.company)

    def test_t8_menus_need_call_history(self):
        menu = self.env.ref("clinic_telephony_analytics.menu_clinic_call_effectiveness")
        Menu = self.env["ir.ui.menu"]
        self.assertNotIn(menu.id, Menu.with_user(self.irina)._visible_menu_ids())
        self.assertIn(menu.id, Menu.with_user(self.supervisor)._visible_menu_ids())


@tagged("post_install", "-at_install")
class TestAccessRpc(HttpCase):
    def test_t8_report_refused_over_rpc(self):
        new_test_user(
            self.env,
            login="anl_rpc_op",
            password="anl_rpc_op",
            groups="clinic_base.group_clinic_operator",
        )
        new_test_user(
            self.env,
            login="anl_rpc_hist",
            password="anl_rpc_hist",
            groups="clinic_telephony.group_call_history",
        )
        args = {
            "model": "clinic.call.effectiveness.report",
            "method": "read_group",
            "args": [[], ["call_count:sum"], ["user_id"]],
            "kwargs": {},
        }
        self.authenticate("anl_rpc_op", "anl_rpc_op")
        response = self.url_open(
            "/web/dataset/call_kw",
            data=self._rpc_body(args),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertEqual(response["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.authenticate("anl_rpc_hist", "anl_rpc_hist")
        self.assertEqual(self.make_jsonrpc_request("/web/dataset/call_kw", args), [])

    def test_t9_tag_settings_refused_over_rpc(self):
        new_test_user(
            self.env,
            login="anl_rpc_op2",
            password="anl_rpc_op2",
            groups="clinic_base.group_clinic_operator",
        )
        self.authenticate("anl_rpc_op2", "anl_rpc_op2")
        args = {
            "model": "clinic.settings",
            "method": "create",
            "args": [{"clinic_call_tags": True}],
            "kwargs": {},
        }
        response = self.url_open(
            "/web/dataset/call_kw",
            data=self._rpc_body(args),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertEqual(response["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertFalse(self.env.company.clinic_call_tags)

    @staticmethod
    def _rpc_body(params):
        return json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
