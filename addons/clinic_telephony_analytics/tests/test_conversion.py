from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo.addons.clinic_telephony.tools import events as ev
from odoo.sql_db import Cursor
from odoo.tests import Form, HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException

from .common import AnalyticsCommon


@tagged("post_install", "-at_install")
class TestConversion(AnalyticsCommon, TransactionCase):
    def test_t7a_booked_from_the_card(self):
        call = self.make_call(self.irina, "incoming", "2026-03-02 09:00:00", talk=60)
        action = call.with_user(self.irina).action_book_appointment()
        self.assertEqual(action["context"]["default_clinic_call_id"], call.id)
        event = (
            self.env["calendar.event"]
            .with_user(self.irina)
            .with_context(**action["context"])
            .create(
                {
                    "name": "Visit",
                    "start": "2026-03-20 09:00:00",
                    "stop": "2026-03-20 09:30:00",
                }
            )
        )
        self.assertEqual(event.clinic_call_id, call)
        self.assertEqual(event.patient_id, self.patient)
        self.assertTrue(call.has_booking)
        self.assertEqual(call.conversion, "yes")

    def test_t7b_booked_in_a_free_slot_during_the_call(self):
        call = self.make_call(self.irina, "incoming", datetime.now(), state="talking")
        event = self.book(user=self.irina)
        self.assertEqual(event.clinic_call_id, call)
        call.write({"state": "ended", "end_date": datetime.now(), "talk_duration": 90})
        self.assertEqual(call.conversion, "yes")

    def test_t7c_form_opened_during_call_saved_after_hangup(self):
        call = self.make_call(self.irina, "incoming", datetime.now(), state="talking")
        form = Form(self.env["calendar.event"].with_user(self.irina))
        # The call ends while the administrator is still filling in the form.
        call.write({"state": "ended", "end_date": datetime.now(), "talk_duration": 120})
        self.assertFalse(self.env["clinic.call"]._live_call(self.irina))
        form.name = "Visit"
        form.patient_id = self.patient
        form.start = datetime(2026, 3, 20, 9)
        form.stop = datetime(2026, 3, 20, 9, 30)
        event = form.save()
        self.assertEqual(event.clinic_call_id, call)
        self.assertEqual(call.conversion, "yes")

    def test_t7c_form_opened_after_the_call_does_not_convert(self):
        call = self.make_call(self.irina, "incoming", "2026-03-02 09:00:00", talk=60)
        event = self.book(user=self.irina)
        self.assertFalse(event.clinic_call_id)
        self.assertEqual(call.conversion, "no")

    def test_t7_other_users_live_call_is_not_taken(self):
        self.make_call(self.jonas, "incoming", datetime.now(), state="talking")
        self.assertFalse(self.book(user=self.irina).clinic_call_id)

    def test_t7_latest_live_call_wins(self):
        now = datetime.now()
        self.make_call(self.irina, "incoming", now - timedelta(minutes=5), state="talking")
        newer = self.make_call(self.irina, "outgoing", now, state="talking")
        self.assertEqual(self.book(user=self.irina).clinic_call_id, newer)

    def test_t7_two_bookings_count_once(self):
        call = self.make_call(self.irina, "incoming", "2026-03-02 09:00:00", talk=60)
        self.book(call, self.irina, start="2026-03-20 09:00:00")
        self.book(call, self.irina, start="2026-03-21 09:00:00")
        self.assertEqual(len(call.appointment_ids), 2)
        self.assertEqual(call.conversion, "yes")
        rows = self.env["clinic.call.effectiveness.report"]._effectiveness_rows(
            date(2026, 3, 1), date(2026, 3, 31)
        )
        self.assertEqual(
            [(r["user"], r["call_count"], r["booked_count"]) for r in rows], [(self.irina, 1, 1)]
        )

    def test_t7_only_patient_appointments_convert(self):
        call = self.make_call(self.irina, "incoming", datetime.now(), state="talking")
        meeting = (
            self.env["calendar.event"]
            .with_user(self.irina)
            .create(
                {
                    "name": "Team meeting",
                    "start": "2026-03-20 09:00:00",
                    "stop": "2026-03-20 09:30:00",
                }
            )
        )
        self.assertEqual(meeting.clinic_call_id, call)
        self.assertEqual(call.conversion, "no", "an event without a patient is no booking")
        meeting.patient_id = self.patient
        self.assertEqual(call.conversion, "yes")

    def test_t7_missed_call_shows_dash(self):
        call = self.make_call(self.irina, "missed", "2026-03-02 09:00:00")
        self.assertEqual(call.conversion, "none")
        self.assertEqual(dict(call._fields["conversion"].selection)["none"], "—")

    def test_t7_no_booking_shows_no(self):
        self.assertEqual(
            self.make_call(self.irina, "outgoing", "2026-03-02 09:00:00", talk=30).conversion,
            "no",
        )

    def test_t7_cancelled_link_undoes_conversion(self):
        call = self.make_call(self.irina, "incoming", "2026-03-02 09:00:00", talk=60)
        event = self.book(call, self.irina)
        self.assertEqual(call.conversion, "yes")
        event.unlink()
        self.assertEqual(call.conversion, "no")

    def test_t7_history_filter_conversion(self):
        yes = self.make_call(self.irina, "incoming", "2026-03-02 09:00:00", talk=60)
        self.book(yes, self.irina)
        no = self.make_call(self.irina, "incoming", "2026-03-02 10:00:00", talk=60)
        Call = self.env["clinic.call"].with_user(self.supervisor)
        self.assertEqual(Call.search([("conversion", "=", "yes")]).ids, yes.ids)
        self.assertEqual(Call.search([("conversion", "=", "no")]).ids, no.ids)


@tagged("post_install", "-at_install")
class TestConversionFromPbxEvents(AnalyticsCommon, TransactionCase):
    """T7 on calls folded by clinic_telephony from PBX events, not built by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["clinic.telephony.phone"].create(
            {"name": "Desk", "extension": "101", "pbx_id": cls.pbx.id, "user_id": cls.irina.id}
        )

    @staticmethod
    def pbx_event(kind, at, call_id):
        return ev.CallEvent(
            event_id=f"{call_id}-{kind}",
            type=kind,
            call_id=call_id,
            direction="inbound",
            from_number="030 1234567",
            to_number="101",
            extension="101",
            timestamp=at,
        )

    def event(self, kind, call_id="pbx-1", at=None):
        self.pbx._ingest(self.pbx_event(kind, at or datetime.now(), call_id))
        return self.env["clinic.call"].search([("pbx_call_id", "=", call_id)])

    def test_t7b_free_slot_during_answered_pbx_call(self):
        self.event(ev.RINGING)
        call = self.event(ev.ANSWERED)
        self.assertEqual((call.state, call.user_id), ("talking", self.irina))
        event = self.book(user=self.irina)
        call = self.event(ev.ENDED)
        self.assertEqual(event.clinic_call_id, call)
        self.assertEqual((call.call_type, call.conversion), ("incoming", "yes"))

    def test_t7c_form_during_pbx_call_saved_after_hangup(self):
        self.event(ev.RINGING)
        self.event(ev.ANSWERED)
        form = Form(self.env["calendar.event"].with_user(self.irina))
        call = self.event(ev.ENDED)
        form.name = "Visit"
        form.patient_id = self.patient
        form.start = datetime(2026, 3, 20, 9)
        form.stop = datetime(2026, 3, 20, 9, 30)
        self.assertEqual(form.save().clinic_call_id, call)
        self.assertEqual(call.conversion, "yes")

    def test_t7_missed_pbx_call_shows_dash(self):
        self.event(ev.RINGING)
        call = self.event(ev.ENDED)
        self.assertEqual((call.call_type, call.user_id), ("missed", self.irina))
        self.assertEqual(call.conversion, "none")

    def event_at(self, kind, seconds, call_id="pbx-2"):
        """An event of ``call_id`` ``seconds`` after it started ringing."""
        return self.event(kind, call_id, datetime(2026, 3, 2, 9) + timedelta(seconds=seconds))

    def test_t7_booked_call_converts_when_a_late_event_shows_it_was_answered(self):
        """The conversion the ingestion statement writes reads the stored booking (P6)."""
        call = self.event_at(ev.RINGING, 0)
        self.book(call, self.irina)
        call = self.event_at(ev.ENDED, 60)
        state = (call.call_type, call.has_booking, call.conversion)
        self.assertEqual(state, ("missed", True, "none"))
        call = self.event_at(ev.ANSWERED, 5)  # delivered late
        self.assertEqual((call.call_type, call.conversion), ("incoming", "yes"))
        self.env.invalidate_all()
        state = (call.call_type, call.has_booking, call.conversion)
        self.assertEqual(state, ("incoming", True, "yes"))

    def test_p6_analytics_adds_no_statement_to_an_event(self):
        """Conversion is written by the ingestion's own UPDATE, with no ORM recompute,
        and neither the call's tag lines nor its bookings are read."""
        self.event_at(ev.RINGING, 0)
        self.env.invalidate_all()
        real_execute = Cursor.execute
        sent = []

        def execute(cr, query, params=None, log_exceptions=True):
            sent.append(str(query))
            return real_execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", execute):
            for kind, at in ((ev.ANSWERED, 5), (ev.ENDED, 65)):
                start = datetime(2026, 3, 2, 9)
                self.pbx._ingest(self.pbx_event(kind, start + timedelta(seconds=at), "pbx-2"))
        self.assertTrue(sent)
        self.assertFalse(
            [q for q in sent if "tag_line" in q or "calendar_event" in q or "__tmp" in q]
        )
        call = self.env["clinic.call"].search([("pbx_call_id", "=", "pbx-2")])
        self.assertEqual((call.state, call.call_type, call.conversion), ("ended", "incoming", "no"))

    def test_t9_tag_lines_follow_their_call(self):
        """A line keeps a copy of its call's administrator, type, date and clinic, also
        when the call changes after it was tagged (a late event, a correction)."""
        call = self.event_at(ev.RINGING, 0)
        call = self.event_at(ev.ENDED, 60)
        line = self.env["clinic.call.tag.line"].create({"call_id": call.id, "tag_name": "Price"})
        self.assertEqual(
            (line.user_id, line.call_type, line.call_date, line.company_id),
            (self.irina, "missed", call.start_date, call.company_id),
        )
        self.event_at(ev.ANSWERED, 5)  # delivered late, through the ingestion's SQL
        self.assertEqual(line.call_type, "incoming")
        call.user_id = self.jonas  # a correction through the ORM
        self.assertEqual(line.user_id, self.jonas)
        self.env.invalidate_all()
        self.assertEqual((line.user_id, line.call_type), (self.jonas, "incoming"))
        Lines = self.env["clinic.call.tag.line"]
        self.assertEqual(Lines.search([("user_id", "=", self.jonas.id)]), line)

    def test_p6_report_triggers_skip_calls_that_cannot_count(self):
        """The report function runs for an answered call (a call back) and a finished one,
        not for a call that starts ringing nor for its caller's identification."""
        self.env.cr.execute("SET LOCAL track_functions = 'pl'")

        def runs():
            self.env.cr.execute(
                "SELECT pg_stat_get_xact_function_calls("
                "'clinic_call_report_day_trigger'::regproc)"
            )
            return self.env.cr.fetchone()[0] or 0

        self.event(ev.RINGING)
        self.assertEqual(runs(), 0)
        self.event(ev.ANSWERED)
        self.assertEqual(runs(), 1)
        call = self.event(ev.ENDED)
        self.assertEqual(runs(), 2)
        self.env.cr.execute(
            "SELECT sum(call_count) FROM clinic_call_report_day WHERE user_id = %s",
            [self.irina.id],
        )
        self.assertEqual(self.env.cr.fetchone(), (1,))
        self.assertEqual(call.state, "ended")


@tagged("post_install", "-at_install")
class TestConversionNotForged(AnalyticsCommon, HttpCase):
    """11.6: the call a booking converts is set by the booking flow, never chosen."""

    def rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_11_6_a_colleague_s_call_cannot_be_credited_over_rpc(self):
        jonas_call = self.make_call(self.jonas, "incoming", "2026-03-02 09:00:00", talk=60)
        self.authenticate("anl_irina", "anl_irina")
        values = {
            "name": "Visit",
            "patient_id": self.patient.id,
            "start": "2026-03-20 09:00:00",
            "stop": "2026-03-20 09:30:00",
        }
        for vals, context in (
            (dict(values, clinic_call_id=jonas_call.id), {}),
            (values, {"default_clinic_call_id": jonas_call.id}),
        ):
            with self.subTest(context=context), self.assertRaises(JsonRpcException) as caught:
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw/calendar.event/create",
                    {
                        "model": "calendar.event",
                        "method": "create",
                        "args": [vals],
                        "kwargs": {"context": context},
                    },
                )
            self.assertIn("AccessError", str(caught.exception))
        self.assertFalse(jonas_call.appointment_ids)
        # The same booking without the forged link is fine.
        self.assertTrue(self.rpc("calendar.event", "create", values))

    def test_11_6_the_link_of_a_booking_cannot_be_rewritten(self):
        own = self.make_call(self.irina, "incoming", "2026-03-02 09:00:00", talk=60)
        event = self.book(user=self.irina)
        self.authenticate("anl_irina", "anl_irina")
        with self.assertRaises(JsonRpcException) as caught:
            self.rpc("calendar.event", "write", [event.id], {"clinic_call_id": own.id})
        self.assertIn("AccessError", str(caught.exception))
        self.assertFalse(own.appointment_ids)
