"""Issue 17 on a fresh database with demo data (T1, T9, T10, §0).

A clinic installs ``clinic_telephony``, ``clinic_waiting_room`` and
``clinic_calldrive`` first: those three bring the effectiveness report
(``clinic_telephony_analytics``) and the reminder campaigns (``clinic_reminder``)
along, i.e. every clinic addon. In that database, with the demo data, Odoo's own
calendar tours (``TestCalendarTours`` of ``/opt/odoo18/odoo/addons/calendar``)
run in the same Odoo process right after the install, and the demo looks like a
clinic: appointments on the quarter hour, operators starting on the front desk,
the manager on the effectiveness report, Odoo's administrator not on telephony.

One install with demo data serves every check (the suite's own database has
none); it is dropped afterwards.
"""

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import clinic  # noqa: E402 - tools/clinic.py: the project's own setup
import cluster  # noqa: E402 - tools/cluster.py: odoo shell on a database

from .common import CLINIC_ADDONS  # noqa: E402

FIRST_ADDONS = ["clinic_telephony", "clinic_waiting_room", "clinic_calldrive"]
# what those three bring along by themselves (issue 17.4)
BROUGHT = [
    "clinic_base",
    "clinic_calldrive_telephony",
    "clinic_reminder",
    "clinic_telephony_analytics",
]
# addons of other capabilities (not part of issue 17) are installed by name, so that
# the calendar tours run with every clinic addon
OTHERS = sorted(set(CLINIC_ADDONS) - set(FIRST_ADDONS) - set(BROUGHT))
CALENDAR_TOURS = "TestCalendarTours"
# Odoo's report after the post-install tests: "0 failed, 0 error(s) of 5 tests ..."
REPORT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")

SCRIPT = """
import json
company = env.ref("base.main_company")
events = env["calendar.event"].search([("patient_id", "!=", False)])
users = {login: env["res.users"].search([("login", "=", login)]) for login in
         ("admin", "irina", "jonas", "sabine")}
front_desk = env.ref("clinic_base.action_clinic_appointment")
clinic_app = env.ref("clinic_base.menu_clinic_root")
clinic_menus = env["ir.ui.menu"].search([("id", "child_of", clinic_app.id)])
results = {
    "installed": sorted(env["ir.module.module"].search(
        [("name", "=like", "clinic_%"), ("state", "=", "installed")]).mapped("name")),
    "company": [company.name, company.city, company.country_id.code, company.clinic_tz,
                bool(company.logo)],
    "events": len(events),
    "off_the_quarter": [str(e.start) for e in events
                        if e.start.second or e.start.minute % 15 or e.stop.second],
    "telephony": {login: user.clinic_telephony_allowed for login, user in users.items()},
    "home": {login: user.action_id.id for login, user in users.items()},
    "front_desk": front_desk.id,
    "front_desk_in_clinic_app": front_desk in [menu.action for menu in clinic_menus],
    "report": env.ref("clinic_telephony_analytics.action_clinic_call_effectiveness").id,
    "campaigns": env["clinic.reminder.campaign"].search_count([]) >= 0,
}
print("ISSUE17-RESULT " + json.dumps(results))
"""


def calendar_tour_count():
    """How many tests Odoo's ``TestCalendarTours`` has in the installed Odoo."""
    tours = getattr(
        importlib.import_module("odoo.addons.calendar.tests.test_calendar"), CALENDAR_TOURS
    )
    # test_tags, test_module... are attributes, not tests
    return len(
        [name for name in dir(tours) if name.startswith("test_") and callable(getattr(tours, name))]
    )


def test_issue17_three_first_addons_with_demo_data(request, tmp_path):
    db = f"{request.config.getoption('--odoo-database')}_first"
    clinic.drop_database(db)
    (port,) = cluster.free_ports(18780, 1)
    log = tmp_path / "install.log"
    try:
        with log.open("w") as out:
            done = subprocess.run(
                clinic.odoo_cmd(
                    "-d",
                    db,
                    "-i",
                    ",".join(FIRST_ADDONS + OTHERS),
                    f"--db-filter=^{db}$",
                    f"--http-port={port}",
                    f"--test-tags=/calendar:{CALENDAR_TOURS}",
                    "--stop-after-init",
                    "--log-level=warn",
                    # the test report and the tours' names, not the whole install
                    "--log-handler=odoo.service.server:INFO",
                    "--log-handler=odoo.tests.result:INFO",
                    "--log-handler=odoo.modules.loading:INFO",
                ),
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=clinic.ROOT,
                timeout=900,
                check=False,
            )
        output = log.read_text()
        reports = REPORT.findall(output)
        assert reports, output[-4000:]
        failed, errors, ran = map(int, reports[-1])
        # every calendar tour ran (none skipped) and passed with every clinic addon
        assert (failed, errors, ran) == (0, 0, calendar_tour_count()), output[-6000:]
        assert " skipped" not in output.lower(), output[-6000:]
        assert done.returncode == 0, output[-4000:]

        out = cluster.odoo_shell(db, SCRIPT)
        line = next((row for row in out.splitlines() if row.startswith("ISSUE17-RESULT ")), None)
        assert line, out[-3000:]
        results = json.loads(line[len("ISSUE17-RESULT ") :])
    finally:
        clinic.drop_database(db)

    # the three first addons bring every clinic addon (issue 17.4)
    assert results["installed"] == sorted(FIRST_ADDONS + BROUGHT + OTHERS) == CLINIC_ADDONS
    assert results["report"] and results["campaigns"]
    # a clinic, not "YourCompany" (issue 17.5)
    assert results["company"] == [
        "Praxisklinik am Stadtpark",
        "Berlin",
        "DE",
        "Europe/Berlin",
        True,
    ]
    assert results["events"] >= 40
    assert results["off_the_quarter"] == []
    # the front desk works the phones, Odoo's administrator does not (issue 17.3)
    assert results["telephony"] == {"admin": False, "irina": True, "jonas": True, "sabine": True}
    # operators start on the front desk (the Clinic app), the manager on the report
    assert results["front_desk_in_clinic_app"]
    assert results["home"]["irina"] == results["home"]["jonas"] == results["front_desk"]
    assert results["home"]["sabine"] == results["report"]
