import base64
import io
from datetime import date, datetime

import openpyxl

from odoo.addons.clinic_telephony.tools import events as ev
from odoo.tests import TransactionCase, tagged
from odoo.tools.pdf import PdfReader

from .common import AnalyticsCommon

MARCH = [("date", ">=", "2026-03-01 00:00:00"), ("date", "<", "2026-04-01 00:00:00")]
MEASURES = [
    "call_count:sum",
    "booked_count:sum",
    "conversion_rate:avg",
    "talk_time:sum",
    "avg_talk_time:avg",
    "missed_count:sum",
    "missed_rate:avg",
    "unanswered_count:sum",
    "unanswered_rate:avg",
]


@tagged("post_install", "-at_install")
class TestEffectivenessReport(AnalyticsCommon, TransactionCase):
    """T8 on a hand-built month; the expected figures are worked out below."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        call = cls.make_call
        # Irina, March 2026: 7 finished calls.
        booked_twice = call(cls.irina, "incoming", "2026-03-02 09:00:00", talk=60)
        booked = call(cls.irina, "incoming", "2026-03-03 09:00:00", talk=120)
        call(cls.irina, "incoming", "2026-03-04 09:00:00", talk=180)
        call(cls.irina, "missed", "2026-03-05 09:00:00")
        outgoing_booked = call(cls.irina, "outgoing", "2026-03-06 09:00:00", talk=240)
        call(cls.irina, "outgoing_unanswered", "2026-03-07 09:00:00")
        call(cls.irina, "outgoing_unanswered", "2026-03-31 23:59:00")
        for booked_call in (booked_twice, booked_twice, booked, outgoing_booked):
            cls.book(booked_call, cls.irina)
        # Not counted in March: April, a call still in progress, an unbound phone.
        call(cls.irina, "incoming", "2026-04-01 00:00:00", talk=30)
        call(cls.irina, "incoming", "2026-03-08 09:00:00", state="talking")
        call(None, "missed", "2026-03-08 10:00:00")
        # Jonas, March 2026: 2 calls.
        jonas_booked = call(cls.jonas, "incoming", "2026-03-10 12:00:00", talk=90)
        cls.book(jonas_booked, cls.jonas)
        call(cls.jonas, "missed", "2026-03-11 12:00:00")

    def test_t8_figures_per_administrator(self):
        rows = self.env["clinic.call.effectiveness.report"]._effectiveness_rows(
            date(2026, 3, 1), date(2026, 3, 31)
        )
        by_user = {row.pop("user"): row for row in rows}
        self.assertEqual(set(by_user), {self.irina, self.jonas})
        irina = by_user[self.irina]
        # 7 calls, 3 with a booking (one booked twice counts once): 3 / 7 = 42.9 %
        self.assertEqual(irina["call_count"], 7)
        self.assertEqual(irina["booked_count"], 3)
        self.assertEqual(irina["conversion_rate"], 42.9)
        # talk 60 + 120 + 180 + 240 = 600 s over 4 answered calls = 150 s
        self.assertEqual(irina["talk_seconds"], 600)
        self.assertEqual(irina["avg_talk_seconds"], 150)
        # 1 missed of 4 incoming = 25 %; 2 unanswered of 3 outgoing = 66.7 %
        self.assertEqual(irina["missed_count"], 1)
        self.assertEqual(irina["missed_rate"], 25.0)
        self.assertEqual(irina["unanswered_count"], 2)
        self.assertEqual(irina["unanswered_rate"], 66.7)
        jonas = by_user[self.jonas]
        self.assertEqual(
            (
                jonas["call_count"],
                jonas["booked_count"],
                jonas["conversion_rate"],
                jonas["talk_seconds"],
                jonas["avg_talk_seconds"],
                jonas["missed_count"],
                jonas["missed_rate"],
                jonas["unanswered_count"],
                jonas["unanswered_rate"],
            ),
            (2, 1, 50.0, 90, 90, 1, 50.0, 0, 0.0),
        )

    def test_t8_pivot_read_group_matches(self):
        """The pivot's read_group gives the same figures (rates as averages)."""
        groups = (
            self.env["clinic.call.effectiveness.report"]
            .with_user(self.supervisor)
            .read_group(MARCH, MEASURES, ["user_id"])
        )
        irina = next(g for g in groups if g["user_id"][0] == self.irina.id)
        self.assertEqual(irina["call_count"], 7)
        self.assertEqual(irina["booked_count"], 3)
        self.assertAlmostEqual(irina["conversion_rate"], 300 / 7)
        self.assertAlmostEqual(irina["talk_time"], 600 / 3600)
        self.assertAlmostEqual(irina["avg_talk_time"], 150 / 3600)
        self.assertEqual(irina["missed_count"], 1)
        self.assertAlmostEqual(irina["missed_rate"], 25.0)
        self.assertEqual(irina["unanswered_count"], 2)
        self.assertAlmostEqual(irina["unanswered_rate"], 200 / 3)

    def test_t8_pivot_rates_are_ratios_of_sums(self):
        """Rows hold several calls: a rate is the group's ratio, not an average of rows."""
        call = self.make_call
        call(self.irina, "incoming", "2026-05-04 09:00:00", talk=60)
        call(self.irina, "incoming", "2026-05-04 10:00:00", talk=120)
        call(self.irina, "missed", "2026-05-04 11:00:00")
        self.book(call(self.irina, "incoming", "2026-05-05 09:00:00", talk=300), self.irina)
        (group,) = (
            self.env["clinic.call.effectiveness.report"]
            .with_user(self.supervisor)
            .read_group([("date", ">=", "2026-05-01"), ("date", "<=", "2026-05-31")], MEASURES, [])
        )
        # 1 booked of 4 calls; 480 s over 3 answered calls; 1 missed of 4 incoming
        self.assertEqual(group["call_count"], 4)
        self.assertAlmostEqual(group["conversion_rate"], 25.0)
        self.assertAlmostEqual(group["avg_talk_time"], 160 / 3600)
        self.assertAlmostEqual(group["missed_rate"], 25.0)
        self.assertFalse(group["unanswered_rate"])

    def daily_table(self):
        self.env["clinic.call"].flush_model()
        self.env["res.partner"].flush_model(["tz"])
        self.env.cr.execute(
            """SELECT day, user_id, company_id, direction, call_type, has_booking,
                      call_count, answered_count, talk_seconds
                 FROM clinic_call_report_day ORDER BY 1, 2, 3, 4, 5, 6"""
        )
        days = self.env.cr.fetchall()
        self.env.cr.execute(
            """SELECT call_id, day, user_id, company_id, callback_seconds
                 FROM clinic_call_report_callback ORDER BY 1"""
        )
        return days, self.env.cr.fetchall()

    def assert_daily_table_exact(self):
        """The live table equals a rebuild from the calls."""
        live = self.daily_table()
        with self.env.cr.savepoint(flush=False) as savepoint:
            self.env.cr.execute("SELECT clinic_call_report_day_rebuild(NULL)")
            rebuilt = self.daily_table()
            savepoint.rollback()
        self.assertEqual(live, rebuilt)
        return live

    def march(self, user):
        rows = self.env["clinic.call.effectiveness.report"]._effectiveness_rows(
            date(2026, 3, 1), date(2026, 3, 31), user
        )
        return rows and rows[0]

    def test_p3_daily_table_live_and_exact(self):
        """Every change of a call moves its contribution at once (P3, T8)."""
        self.assert_daily_table_exact()
        unbooked = self.env["clinic.call"].search(
            [("user_id", "=", self.irina.id), ("start_date", "=", "2026-03-04 09:00:00")]
        )
        booking = self.book(unbooked, self.irina)
        self.assertEqual(self.march(self.irina)["booked_count"], 4)
        self.assert_daily_table_exact()
        booking.unlink()
        self.assertEqual(self.march(self.irina)["booked_count"], 3)
        live = self.env["clinic.call"].search(
            [("user_id", "=", self.irina.id), ("state", "=", "talking")]
        )
        live.write({"state": "ended", "end_date": "2026-03-08 09:10:00", "talk_duration": 595})
        irina = self.march(self.irina)
        self.assertEqual((irina["call_count"], irina["talk_seconds"]), (8, 1195))
        self.assert_daily_table_exact()
        live.user_id = self.jonas
        self.assertEqual(self.march(self.irina)["call_count"], 7)
        self.assertEqual(self.march(self.jonas)["call_count"], 3)
        self.assert_daily_table_exact()
        live.unlink()
        self.assertEqual(self.march(self.jonas)["call_count"], 2)
        self.assert_daily_table_exact()

    def test_t8_day_is_the_administrators_local_day(self):
        self.jonas.tz = "Europe/Berlin"
        # 22:30 UTC on 31 March is 00:30 on 1 April in Berlin
        self.make_call(self.jonas, "incoming", "2026-03-31 22:30:00", talk=10)
        Report = self.env["clinic.call.effectiveness.report"]
        self.assertEqual(self.march(self.jonas)["call_count"], 2)
        april = Report._effectiveness_rows(date(2026, 4, 1), date(2026, 4, 30), self.jonas)
        self.assertEqual(april[0]["call_count"], 1)
        # a new time zone re-buckets the administrator's calls
        self.jonas.tz = "UTC"
        self.assertEqual(self.march(self.jonas)["call_count"], 3)
        self.assertFalse(
            Report._effectiveness_rows(date(2026, 4, 1), date(2026, 4, 30), self.jonas)
        )
        self.assert_daily_table_exact()

    def test_t8_period_filter(self):
        Report = self.env["clinic.call.effectiveness.report"]
        year = Report._effectiveness_rows(date(2026, 1, 1), date(2026, 12, 31), self.irina)
        self.assertEqual([r["call_count"] for r in year], [8])
        april = Report._effectiveness_rows(date(2026, 4, 1), date(2026, 4, 30))
        self.assertEqual(
            [(r["user"], r["call_count"], r["talk_seconds"]) for r in april], [(self.irina, 1, 30)]
        )
        wizard = self.env["clinic.call.effectiveness.export"].create(
            {"date_from": "2026-03-31", "date_to": "2026-03-31"}
        )
        # The last day is included up to midnight.
        self.assertEqual(
            [(r["user"], r["unanswered_count"]) for r in wizard._rows()], [(self.irina, 1)]
        )

    def test_t8_missed_call_belongs_to_phone_holder(self):
        """A missed call counts for whoever held the phone when it rang."""
        self.env["clinic.telephony.phone"].create(
            {"name": "Desk", "extension": "201", "pbx_id": self.pbx.id, "user_id": self.jonas.id}
        )
        for kind, moment in (
            (ev.RINGING, "2026-03-12 12:00:00"),
            (ev.ENDED, "2026-03-12 12:00:30"),
        ):
            self.pbx._ingest(
                ev.CallEvent(
                    event_id=f"missed-{kind}",
                    type=kind,
                    call_id="missed-1",
                    direction="inbound",
                    from_number="+49301234567",
                    to_number="201",
                    extension="201",
                    timestamp=datetime.fromisoformat(moment),
                )
            )
        rows = self.env["clinic.call.effectiveness.report"]._effectiveness_rows(
            date(2026, 3, 12), date(2026, 3, 12)
        )
        self.assertEqual([(r["user"], r["missed_count"]) for r in rows], [(self.jonas, 1)])

    def test_t8_xlsx_export(self):
        wizard = (
            self.env["clinic.call.effectiveness.export"]
            .with_user(self.supervisor)
            .create({"date_from": "2026-03-01", "date_to": "2026-03-31"})
        )
        action = wizard.action_export_xlsx()
        attachment_id = int(action["url"].split("?")[0].rsplit("/", 1)[1])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        rows = list(book.active.iter_rows(min_row=4, values_only=True))
        firsts = [row[:10] for row in rows]
        self.assertIn(("Irina", 7, 3, 42.9, "0:10:00", "0:02:30", 1, 25.0, 2, 66.7), firsts)
        self.assertIn(("Jonas", 2, 1, 50.0, "0:01:30", "0:01:30", 1, 50.0, 0, 0.0), firsts)
        # The call-back columns carry the report's figures (checked against a direct
        # count in TestCallbackFigures): every call of the month has the same number.
        figures = {
            row["user"].name: row
            for row in self.env["clinic.call.effectiveness.report"]._effectiveness_rows(
                date(2026, 3, 1), date(2026, 3, 31)
            )
        }
        self.assertEqual(figures["Irina"]["called_back_count"], 1)
        for row in rows:
            expected = figures[row[0]]
            self.assertEqual(row[10], expected["called_back_count"])
            self.assertEqual(row[11], expected["called_back_rate"])
            self.assertEqual(row[12], wizard._format_duration(expected["median_callback_seconds"]))

    def test_t8_pdf_export(self):
        """The PDF really renders through wkhtmltopdf and carries the figures."""
        wizard = self.env["clinic.call.effectiveness.export"].create(
            {"date_from": "2026-03-01", "date_to": "2026-03-31"}
        )
        action = wizard.action_export_pdf()
        # A company without a document layout is asked to pick one first.
        action = action.get("context", {}).get("report_action", action)
        self.assertEqual(
            action["report_name"], "clinic_telephony_analytics.report_call_effectiveness"
        )
        self.assertEqual(
            self.env["ir.actions.report"].get_wkhtmltopdf_state(),
            "ok",
            "wkhtmltopdf is needed for the PDF export (apt-get install wkhtmltopdf)",
        )
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(action["report_name"], wizard.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"))
        reader = PdfReader(io.BytesIO(pdf))
        self.assertEqual(len(reader.pages), 1)
        text = " ".join(reader.pages[0].extract_text().split())
        self.assertIn("Administrator effectiveness", text)
        self.assertRegex(text, r"Irina 7 3 42\.9 0:10:00 0:02:30 1 25\.0 2 66\.7")
        self.assertRegex(text, r"Jonas 2 1 50\.0 0:01:30 0:01:30 1 50\.0 0 0\.0")


@tagged("post_install", "-at_install")
class TestCallbackFigures(AnalyticsCommon, TransactionCase):
    """T16: missed calls called back (count, %) and the median time, against a direct count."""

    def call(self, user, call_type, start, number="+49301234567", talk=0):
        call = self.make_call(user, call_type, start, talk=talk)
        call.number_e164 = number
        return call

    def test_t16_called_back_figures_equal_a_direct_count(self):
        anna, boris, carl = "+49301234567", "+79162345678", "+49897777777"
        # Irina misses Anna twice and Boris once; Jonas misses Carl.
        missed = [
            self.call(self.irina, "missed", "2026-03-02 09:00:00", anna),
            self.call(self.irina, "missed", "2026-03-02 09:05:00", anna),
            self.call(self.irina, "missed", "2026-03-03 10:00:00", boris),
            self.call(self.jonas, "missed", "2026-03-04 11:00:00", carl),
        ]
        # Anna is called back at 09:20 (answered 09:20:05); Boris calls again and is answered
        # the next day; Carl is never reached (an unanswered call back does not count).
        self.call(self.jonas, "outgoing", "2026-03-02 09:20:00", anna, talk=30)
        self.call(self.irina, "incoming", "2026-03-04 08:00:00", boris, talk=60)
        self.call(self.jonas, "outgoing_unanswered", "2026-03-04 11:30:00", carl)
        rows = {
            row["user"]: row
            for row in self.env["clinic.call.effectiveness.report"]._effectiveness_rows(
                date(2026, 3, 1), date(2026, 3, 31)
            )
        }
        # The direct count, call by call.
        Call = self.env["clinic.call"]
        expected = {}
        for user in (self.irina, self.jonas):
            waits = []
            for call in [c for c in missed if c.user_id == user]:
                back = Call.search(
                    [
                        ("number_e164", "=", call.number_e164),
                        ("answer_date", ">=", call.end_date),
                    ],
                    order="answer_date",
                    limit=1,
                )
                if back:
                    waits.append((back.answer_date - call.end_date).total_seconds())
            waits.sort()
            median = (waits[len(waits) // 2] + waits[(len(waits) - 1) // 2]) / 2 if waits else None
            expected[user] = (len(waits), median)
        self.assertEqual(expected[self.irina][0], 3)
        self.assertEqual(expected[self.jonas], (0, None))
        for user in (self.irina, self.jonas):
            row = rows[user]
            self.assertEqual(
                (row["called_back_count"], row["median_callback_seconds"]),
                (expected[user][0], round(expected[user][1]) if expected[user][1] else None),
            )
        self.assertEqual(rows[self.irina]["called_back_rate"], 100.0)
        self.assertEqual(rows[self.jonas]["called_back_rate"], 0.0)
        # The report screen's pivot shows the same measures (T16).
        groups = {
            group["user_id"][0]: group
            for group in self.env["clinic.call.effectiveness.report"]
            .with_user(self.supervisor)
            .read_group(
                MARCH,
                ["called_back_count:sum", "called_back_rate:avg", "callback_time:avg"],
                ["user_id"],
            )
        }
        irina, jonas = groups[self.irina.id], groups[self.jonas.id]
        self.assertEqual(irina["called_back_count"], 3)
        self.assertAlmostEqual(irina["called_back_rate"], 100.0)
        self.assertAlmostEqual(irina["callback_time"] * 3600, expected[self.irina][1])
        self.assertEqual(
            (jonas["called_back_count"], jonas["called_back_rate"], jonas["callback_time"]),
            (0, 0.0, False),
        )
        # A later connection with Carl's number calls him back at once; removing it
        # takes it back, and the live table stays equal to a rebuild.
        carl_back = self.call(self.irina, "incoming", "2026-03-05 08:00:00", carl, talk=10)
        jonas = self.jonas_march()
        self.assertEqual(jonas["called_back_count"], 1)
        self.assertEqual(jonas["median_callback_seconds"], 21 * 3600 + 5)
        self.assert_callbacks_exact()
        carl_back.unlink()
        self.assertEqual(self.jonas_march()["called_back_count"], 0)
        self.assert_callbacks_exact()

    def jonas_march(self):
        (row,) = self.env["clinic.call.effectiveness.report"]._effectiveness_rows(
            date(2026, 3, 1), date(2026, 3, 31), self.jonas
        )
        return row

    def assert_callbacks_exact(self):
        def table():
            self.env.cr.execute(
                "SELECT call_id, callback_seconds FROM clinic_call_report_callback ORDER BY 1"
            )
            return self.env.cr.fetchall()

        self.env.flush_all()
        live = table()
        with self.env.cr.savepoint(flush=False) as savepoint:
            self.env.cr.execute("SELECT clinic_call_report_day_rebuild(NULL)")
            self.assertEqual(live, table())
            savepoint.rollback()
