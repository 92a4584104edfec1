"""X2: the patient's communication timeline across the addons' sources."""

from datetime import datetime, timedelta

from odoo.addons.clinic_base.tests.common import ClinicMultiCompanyCommon
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

T0 = datetime(2026, 3, 2, 9, 0, 0)


class TimelineCommon(ClinicMultiCompanyCommon):
    """Anna's contacts with clinic A: calls, a reminder and her reply, a waiting-room
    visit with messages, a call-drive attempt; and a call of clinic B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.historian = new_test_user(
            cls.env, login="tl_historian", groups="clinic_telephony.group_call_history"
        )
        cls.operator.clinic_telephony_allowed = True
        cls.pbx = cls.env["clinic.pbx"].create(
            {"name": "TL PBX", "code": "tlpbx", "kind": "webhook", "secret": "tl"}
        )
        cls.pbx_b = cls.env["clinic.pbx"].create(
            {
                "name": "TL PBX B",
                "code": "tlpbxb",
                "kind": "webhook",
                "secret": "tlb",
                "company_id": cls.company_b.id,
            }
        )
        cls.calls = cls.env["clinic.call"]
        for minutes in range(6):
            cls.calls |= cls.make_call(f"tl-{minutes}", T0 + timedelta(minutes=minutes))
        # the operator's own call: still not on the timeline without "Call history"
        cls.calls[0].user_id = cls.operator
        cls.call_b = cls.make_call("tl-b", T0 + timedelta(minutes=30), pbx=cls.pbx_b)
        gateway = cls.env["clinic.reminder.gateway"].create(
            {"name": "TL SMS", "code": "tl_sms", "kind": "http_json", "channel": "sms"}
        )
        visit = cls.env["calendar.event"].create(
            {
                "patient_id": cls.anna.id,
                "start": T0 + timedelta(days=1),
                "stop": T0 + timedelta(days=1, minutes=30),
            }
        )
        campaign = cls.env["clinic.reminder.campaign"].create({"date": visit.start.date()})
        cls.message = cls.env["clinic.reminder.message"].create(
            {
                "campaign_id": campaign.id,
                "event_id": visit.id,
                "partner_id": cls.anna.id,
                "channel": "sms",
                "gateway_id": gateway.id,
                "body": "See you tomorrow at 10:00",
            }
        )
        cls.reply = cls.env["clinic.reminder.reply"].create(
            {
                "company_id": cls.company_a.id,
                "gateway_id": gateway.id,
                "channel": "sms",
                "sender": "+491511234567",
                "text": "I will be late",
                "received_date": T0 + timedelta(minutes=2, seconds=30),
                "partner_id": cls.anna.id,
            }
        )
        room = cls.env["clinic.waiting.room"].create({"name": "TL room"})
        cls.entry = cls.env["clinic.waiting.entry"].create(
            {"patient_id": cls.anna.id, "room_id": room.id}
        )
        cls.entry.with_user(cls.operator).action_notify("Doctor is ready in 5 minutes")
        call_list = cls.env["clinic.call.list"].create({"name": "Recall"})
        line = cls.env["clinic.call.list.line"].create(
            {"list_id": call_list.id, "partner_id": cls.anna.id}
        )
        cls.attempt = cls.env["clinic.call.attempt"].create(
            {
                "line_id": line.id,
                "user_id": cls.operator.id,
                "start": T0 + timedelta(minutes=3),
                "comment": "No answer, try after lunch",
            }
        )

    @classmethod
    def make_call(cls, call_id, start, pbx=None):
        return cls.env["clinic.call"].create(
            {
                "pbx_id": (pbx or cls.pbx).id,
                "pbx_call_id": call_id,
                "direction": "inbound",
                "state": "ended",
                "start_date": start,
                "answer_date": start + timedelta(seconds=5),
                "end_date": start + timedelta(seconds=70),
                "talk_duration": 65,
                "partner_id": cls.anna.id,
                "number_e164": "+49301234567",
            }
        )

    def timeline(self, user, **kwargs):
        return self.anna.with_user(user).clinic_get_timeline(**kwargs)


@tagged("post_install", "-at_install")
class TestTimeline(TimelineCommon, TransactionCase):
    def test_x2_every_channel_in_one_newest_first_list(self):
        page = self.timeline(self.historian, limit=100)
        self.assertEqual(
            {key for key, __ in page["channels"]},
            {"call", "reminder", "waiting_room", "call_drive"},
        )
        # newest first; the same second: by source (calls first), then newest record
        self.assertEqual(
            page["entries"],
            sorted(page["entries"], key=lambda e: (e["date"], -e["rank"], e["id"]), reverse=True),
        )
        opened = {(e["model"], e["res_id"]) for e in page["entries"]}
        self.assertTrue(
            {
                ("clinic.call", self.calls[0].id),
                ("clinic.reminder.message", self.message.id),
                ("clinic.reminder.reply", self.reply.id),
                ("clinic.waiting.entry", self.entry.id),
                ("clinic.call.list.line", self.attempt.line_id.id),
            }
            <= opened
        )
        call = next(e for e in page["entries"] if e["res_id"] == self.calls[0].id)
        self.assertIn("Duration 1:05", call["details"])
        self.assertIn(f"Operator: {self.operator.name}", call["details"])
        self.assertIn("Booked: No", call["details"])
        titles = [e["title"] for e in page["entries"]]
        self.assertIn("Message from %s" % self.operator.name, titles)
        # T0 + 3 min: a call and a call-drive attempt at the same second
        around = [e["channel"] for e in page["entries"] if e["date"] <= "2026-03-02 09:03:00"]
        self.assertEqual(around[:2], ["call", "call_drive"])

    def test_x2_pages_neither_repeat_nor_skip(self):
        everything = self.timeline(self.historian, limit=100)["entries"]
        shown, cursor = [], None
        while True:
            page = self.timeline(self.historian, limit=3, after=cursor)
            self.assertLessEqual(len(page["entries"]), 3)
            shown += page["entries"]
            cursor = page["cursor"]
            if not cursor:
                break
        self.assertEqual(shown, everything)

    def test_x2_channel_filter(self):
        page = self.timeline(self.historian, channels=["reminder"], limit=100)
        self.assertEqual(
            [(e["model"], e["res_id"]) for e in page["entries"]],
            [
                ("clinic.reminder.message", self.message.id),
                ("clinic.reminder.reply", self.reply.id),
            ],
        )

    def test_x2_one_query_per_source_not_per_record(self):
        def queries():
            self.timeline(self.historian, limit=100)  # warm the caches (rules, groups)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.timeline(self.historian, limit=100)
            return self.env.cr.sql_log_count - before

        few = queries()
        for minutes in range(10, 30):
            self.make_call(f"tl-more-{minutes}", T0 + timedelta(minutes=minutes))
        self.assertEqual(queries(), few)

    def test_x2_no_calls_without_call_history(self):
        page = self.timeline(self.operator, limit=100)
        self.assertNotIn("call", [key for key, __ in page["channels"]])
        self.assertFalse([e for e in page["entries"] if e["model"] == "clinic.call"])
        self.assertTrue([e for e in page["entries"] if e["channel"] == "waiting_room"])

    def test_r6_other_clinic_never_on_the_timeline(self):
        page = self.timeline(self.historian, limit=100)
        self.assertNotIn(
            self.call_b.id, [e["res_id"] for e in page["entries"] if e["channel"] == "call"]
        )
        everything = self.anna.clinic_get_timeline(limit=100)  # both clinics (superuser)
        self.assertIn(self.call_b.id, [e["res_id"] for e in everything["entries"]])

    def test_x2_bad_input_is_refused_clearly(self):
        for kwargs in (
            {"limit": 0},
            {"limit": 1000},
            {"after": "garbage"},
            {"after": {"date": "2026-03-02 09:00:00", "rank": "x", "id": 1}},
            {"channels": "call"},
        ):
            with self.subTest(kwargs=kwargs), self.assertRaises(UserError):
                self.timeline(self.historian, **kwargs)


@tagged("post_install", "-at_install")
class TestTimelineTour(TimelineCommon, HttpCase):
    def test_x2_each_entry_opens_its_record(self):
        self.historian.password = "tl_historian_pw"
        self.start_tour(
            f"/odoo/contacts/{self.anna.id}", "clinic_base_timeline_tour", login="tl_historian"
        )
