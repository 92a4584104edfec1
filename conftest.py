"""Suite-wide rules for pytest-odoo runs (see README "Tests").

* A skipped test fails the run: a tour skipped because Chromium is missing
  proved nothing.
* An ERROR logged while a test runs fails that test, as in Odoo's own runner
  (server-side tracebacks in HTTP threads, failed bus sends...). Tests that
  expect an error use ``mute_logger`` or ``assertLogs``.
"""

import logging

import pytest


class _ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def _not_import_warning(record):
    # pytest imports odoo.tests while collecting, before pytest-odoo turns
    # test mode on; Odoo's warning about that is noise here.
    return "Importing test framework" not in record.getMessage()


def pytest_configure(config):
    logging.getLogger("odoo.tests.common").addFilter(_not_import_warning)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    collector = _ErrorCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        result = yield
    finally:
        root.removeHandler(collector)
    if collector.records:
        lines = "\n".join(f"{r.name}: {r.getMessage()}" for r in collector.records[:5])
        pytest.fail(f"errors were logged during the test:\n{lines}", pytrace=False)
    return result


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Mark the running test as Odoo's own runner does (odoo/tests/suite.py);
    pytest-odoo 2.3 only does it for Odoo 19. Odoo then refuses requests that
    belong to another test (a browser left over from the previous tour), keeps
    tests from connecting to mail servers and refuses websockets unless the
    test opts in (bus.tests.common.WebsocketCase)."""
    import odoo  # noqa: PLC0415 - imported by pytest-odoo by now

    odoo.modules.module.current_test = getattr(item, "instance", None) or True


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    import odoo  # noqa: PLC0415

    odoo.modules.module.current_test = False


@pytest.fixture(scope="session", autouse=True)
def _manifests_parsed_once():
    """Parse every addon manifest before the first HTTP test.

    Odoo parses them lazily on the first static request; when the test server
    serves several such requests at once, CPython 3.11.7's parser trips over
    its own recursion counter ("AST constructor recursion depth mismatch",
    python/cpython#106905) and the request fails with a random 500.
    """
    from odoo.http import root  # noqa: PLC0415 - Odoo is configured by now

    root.statics  # noqa: B018 - the lazy property is the point
    return


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    stats = reporter.stats if reporter else {}
    skipped = stats.get("skipped", [])
    passed = stats.get("passed", [])
    if skipped:
        reporter.write_line(
            f"FAIL: {len(skipped)} test(s) were skipped; a skip counts as a failure here "
            "(missing Odoo, PostgreSQL or Chromium?).",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif exitstatus == pytest.ExitCode.OK and not passed:
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED
