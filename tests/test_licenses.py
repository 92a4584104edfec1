"""SPEC 0: every module our addons depend on, transitively, is LGPL/AGPL."""

from odoo.modules.module import get_manifest
from odoo.tests import BaseCase, tagged

from .common import CLINIC_ADDONS

ALLOWED = {"LGPL-3", "AGPL-3", "LGPL-3 or any later version", "AGPL-3 or any later version"}


@tagged("post_install", "-at_install")
class TestLicenses(BaseCase):
    def test_dependency_closure_is_lgpl_or_agpl(self):
        seen, todo, bad = set(), list(CLINIC_ADDONS), {}
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            manifest = get_manifest(name)
            self.assertTrue(manifest, f"module {name} not found")
            # Odoo's manifest default license is LGPL-3.
            if manifest.get("license", "LGPL-3") not in ALLOWED:
                bad[name] = manifest.get("license")
            todo.extend(manifest.get("depends", []))
        self.assertFalse(bad, f"non-LGPL/AGPL modules in the dependency closure: {bad}")
        self.assertIn("clinic_base", seen)
        self.assertIn("mail", seen)

    def test_guard_catches_enterprise(self):
        # The check above must be able to fail: an OEEL-1 manifest is refused.
        self.assertNotIn("OEEL-1", ALLOWED)
