from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import ClinicBaseCommon


@tagged("post_install", "-at_install")
class TestAccess(ClinicBaseCommon, TransactionCase):
    def test_groups_hierarchy(self):
        manager = self.env.ref("clinic_base.group_clinic_manager")
        self.assertIn(self.env.ref("clinic_base.group_clinic_operator"), manager.implied_ids)
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("clinic_base.group_clinic_manager")
        )

    def test_plain_user_cannot_edit_numbers(self):
        row = self.anna.clinic_phone_ids[:1].with_user(self.plain_user)
        self.assertTrue(row.number_e164)  # reading is allowed
        with self.assertRaises(AccessError):
            row.write({"number": "000"})
        with self.assertRaises(AccessError):
            self.env["clinic.partner.phone"].with_user(self.plain_user).create(
                {"partner_id": self.anna.id, "number": "0301111111"}
            )

    def test_operator_manages_numbers(self):
        Phone = self.env["clinic.partner.phone"].with_user(self.operator)
        row = Phone.create({"partner_id": self.anna.id, "number": "0301111111"})
        self.assertEqual(row.number_e164, "+49301111111")

    def test_menu_only_for_clinic_staff(self):
        menu = self.env.ref("clinic_base.menu_clinic_root")
        visible = self.env["ir.ui.menu"].with_user(self.plain_user)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
        visible = self.env["ir.ui.menu"].with_user(self.operator)._visible_menu_ids()
        self.assertIn(menu.id, visible)
