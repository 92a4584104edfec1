from odoo.tests import TransactionCase, tagged

from .. import hooks


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_installed_on_clinic_base(self):
        module = self.env["ir.module.module"].search([("name", "=", "clinic_telephony")])
        self.assertEqual(module.state, "installed")
        self.assertIn("clinic_base", module.dependencies_id.mapped("name"))

    def test_p2_calls_indexed_once_by_pbx(self):
        # Each index is written on every insert and state change of a call (P2): lookups by
        # PBX use the unique (pbx_id, pbx_call_id) index, no second one on pbx_id.
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'clinic_call' AND indexdef LIKE %s",
            ["%(pbx_id%"],
        )
        self.assertEqual(
            [name for (name,) in self.env.cr.fetchall()], ["clinic_call_pbx_call_uniq"]
        )

    def test_o4_uninstall_drops_the_ingestion_function(self):
        """The PL/pgSQL function of the event ingestion (P6) goes with the addon (O4)."""

        def functions():
            self.env.cr.execute("SELECT count(*) FROM pg_proc WHERE proname = 'clinic_call_claim'")
            return self.env.cr.fetchone()[0]

        self.assertEqual(functions(), 1)
        with self.env.cr.savepoint(flush=False) as savepoint:
            hooks.uninstall_hook(self.env)
            self.assertEqual(functions(), 0)
            savepoint.rollback()
