"""The clinic addons' JavaScript unit tests (Hoot, Odoo 18's JS test framework), run headless.

Every ``addons/clinic_*/static/tests/**/*.test.js`` runs in Chromium, as Odoo runs its
own suites (``web/tests/test_js.py``: ``browser_js`` on ``/web/tests`` until Hoot logs
"[HOOT] test suite succeeded"), filtered to our addons' suites. The test fails when a
Hoot test fails, when a test file did not run (e.g. missing from its addon's
``web.assets_unit_tests`` bundle) and when a Hoot test is skipped.
"""

import logging
import re
from logging.handlers import BufferingHandler
from pathlib import Path

from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, no_retry, tagged

from .common import CLINIC_ADDONS

# Hoot's loglevel 2 logs the end of every suite with its counts
# (web/static/lib/hoot/core/logger.js: logSuite).
SUITE_ENDED = re.compile(r'"(@clinic_[^"]+)" ended \((.*)\)')
SKIPPED = re.compile(r"skipped:\s*(\d+)")
FAILED = re.compile(r"failed:\s*(\d+)")


def hoot_hash(descriptor):
    """Id of a Hoot suite or test in the URL filters (web/tests/test_js.py, HOOTCommon)."""
    value = 0
    for char in descriptor:
        value = ((value << 5) - value + ord(char)) & 0xFFFFFFFF
    return f"{value:08x}"


def hoot_test_files(addons):
    """``{suite path: file}`` of every Hoot test file of ``addons``."""
    suites = {}
    for addon in addons:
        path = get_module_path(addon, display_warning=False)
        tests_dir = f"{path}/static/tests"
        for file in sorted(Path(tests_dir).glob("**/*.test.js")):
            relative = file.relative_to(tests_dir).as_posix()[: -len(".test.js")]
            suites[f"@{addon}/{relative}"] = file
    return suites


@tagged("post_install", "-at_install")
class TestHootSuites(HttpCase):
    @no_retry
    def test_clinic_hoot_suites(self):
        installed = self.env["ir.module.module"].search(
            [("name", "in", CLINIC_ADDONS), ("state", "=", "installed")]
        )
        suites = hoot_test_files(installed.mapped("name"))
        self.assertTrue(suites, "no Hoot test file found under addons/clinic_*/static/tests")
        addons = sorted({name.split("/")[0] for name in suites})
        filters = "".join(f"&suite={hoot_hash(addon)}" for addon in addons)
        collector = BufferingHandler(capacity=1_000_000)  # keeps every record it gets
        browser_logger = self._logger.getChild("browser")
        # Hoot's progress is logged at INFO (the suite runs at WARNING): hear it, and let
        # it through to the run's output as well.
        level = browser_logger.level
        browser_logger.setLevel(logging.INFO)
        browser_logger.addHandler(collector)
        try:
            self.browser_js(
                f"/web/tests?headless&loglevel=2&preset=desktop&timeout=15000{filters}",
                "",
                "",
                login="admin",
                timeout=600,
                success_signal="[HOOT] test suite succeeded",
                error_checker=lambda message: "[HOOT]" not in message,
            )
        finally:
            browser_logger.removeHandler(collector)
            browser_logger.setLevel(level)
        ended = {}
        for record in collector.buffer:
            match = SUITE_ENDED.search(record.getMessage())
            if match:
                ended[match.group(1)] = match.group(2)
        for suite, file in suites.items():
            with self.subTest(suite=suite):
                self.assertIn(suite, ended, f"{file} did not run: is it in web.assets_unit_tests?")
                self.assertIn("passed:", ended[suite])
                self.assertFalse(FAILED.search(ended[suite]), ended[suite])
                skipped = SKIPPED.search(ended[suite])
                self.assertFalse(
                    skipped and int(skipped.group(1)), f"skipped tests: {ended[suite]}"
                )
