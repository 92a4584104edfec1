from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_installed_on_clinic_base(self):
        module = self.env["ir.module.module"].search([("name", "=", "clinic_calldrive")])
        self.assertEqual(module.state, "installed")
        self.assertIn("clinic_base", module.dependencies_id.mapped("name"))
