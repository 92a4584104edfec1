"""A clinic's effectiveness figures stay with the clinic (R6, issue 11.2; T8, T16)."""

from odoo.addons.clinic_base.tests.common import ClinicMultiCompanyCommon
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AnalyticsCommon

MEASURES = ["call_count:sum", "missed_count:sum", "called_back_count:sum", "callback_time:avg"]


@tagged("post_install", "-at_install")
class TestReportCompanies(AnalyticsCommon, ClinicMultiCompanyCommon, HttpCase):
    """Clinic A's administrator Irina and clinic B's Bruno, each with a supervisor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pbx_b = cls.env["clinic.pbx"].create(
            {"name": "Vienna PBX", "code": "anl-vienna", "kind": "simulator"}
        )
        cls.pbx_b.company_id = cls.company_b
        cls.supervisor_b = new_test_user(
            cls.env,
            login="anl_supervisor_b",
            groups="clinic_telephony.group_call_history",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        # Every call has the same number. Clinic A: 2 calls, the missed one called back
        # 30 minutes later; clinic B: 3 calls, the missed one called back the next
        # morning (clinic A's call at 09:30 does not call back clinic B's caller).
        cls.make_call(cls.irina, "missed", "2026-03-02 09:00:00")
        cls.make_call(cls.irina, "outgoing", "2026-03-02 09:30:00", talk=60)
        for call_type, start in (
            ("missed", "2026-03-02 09:10:00"),
            ("incoming", "2026-03-03 08:00:00"),
            ("incoming", "2026-03-04 08:00:00"),
        ):
            talk = 30 if call_type == "incoming" else 0
            call = cls.make_call(cls.operator_b, call_type, start, talk=talk)
            call.pbx_id = cls.pbx_b

    def rpc_read_group(self, login):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "clinic.call.effectiveness.report",
                "method": "read_group",
                "args": [[("date", ">=", "2026-03-01"), ("date", "<=", "2026-03-31")]],
                "kwargs": {"fields": MEASURES, "groupby": ["company_id"], "lazy": False},
            },
        )

    def figures(self, groups):
        return {
            group["company_id"][1]: (
                group["call_count"],
                group["missed_count"],
                group["called_back_count"],
                round(group["callback_time"] * 3600) if group["callback_time"] else None,
            )
            for group in groups
        }

    def test_r6_second_clinic_reads_only_its_own_statistics_over_rpc(self):
        self.assertEqual(self.call_companies(), {self.company_a, self.company_b})
        self.assertEqual(
            self.figures(self.rpc_read_group("anl_supervisor_b")),
            {self.company_b.name: (3, 1, 1, 22 * 3600 + 50 * 60 + 5)},
        )
        # the rows themselves, too
        rows = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "clinic.call.effectiveness.report",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["company_id", "user_id"]},
            },
        )
        self.assertTrue(rows)
        self.assertEqual({row["company_id"][0] for row in rows}, {self.company_b.id})
        # Clinic A's supervisor sees clinic A's figures, with the call back 30 minutes
        # after the missed call (answered 5 s after it started).
        self.assertEqual(
            self.figures(self.rpc_read_group("anl_supervisor")),
            {self.company_a.name: (2, 1, 1, 30 * 60 + 5)},
        )

    def call_companies(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT DISTINCT company_id FROM clinic_call_report_day")
        return {self.env["res.company"].browse(row[0]) for row in self.env.cr.fetchall()}

    def test_r6_daily_rows_follow_the_clinic_of_their_call(self):
        """A call moved to another clinic's desk phone moves its figures (R6)."""
        (call,) = self.env["clinic.call"].search(
            [("user_id", "=", self.irina.id), ("call_type", "=", "outgoing")]
        )
        self.env.cr.execute(
            "UPDATE clinic_call SET company_id = %s WHERE id = %s", [self.company_b.id, call.id]
        )
        self.env.invalidate_all()
        groups = self.env["clinic.call.effectiveness.report"].read_group(
            [("user_id", "=", self.irina.id)], MEASURES, ["company_id"], lazy=False
        )
        # the missed call of clinic A is no longer called back from clinic B
        self.assertEqual(
            self.figures(groups),
            {self.company_a.name: (1, 1, 0, None), self.company_b.name: (1, 0, 0, None)},
        )
