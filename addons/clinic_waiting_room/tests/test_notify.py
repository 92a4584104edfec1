from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import WaitingRoomCommon


@tagged("post_install", "-at_install")
class TestNotifyMany(WaitingRoomCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        Entry = cls.env["clinic.waiting.entry"]
        cls.carla = Partner.create({"name": "Carla Rossi", "is_patient": True})
        cls.dieter = Partner.create({"name": "Dieter Vogel", "is_patient": True})
        cls.entry_carla = Entry.create({"patient_id": cls.carla.id, "room_id": cls.room.id})
        cls.entry_dieter = Entry.create({"patient_id": cls.dieter.id, "room_id": cls.room.id})
        cls.entry_carla.with_user(cls.operator).action_start_video()
        cls.entry_dieter.with_user(cls.operator).action_start_video()
        cls.entry_dieter.with_user(cls.operator).action_hold()
        cls.entry_dieter.with_user(cls.operator).action_leave_call()
        # another room's visit and an expired link are never displayed
        cls.other_room = cls.env["clinic.waiting.room"].create({"name": "Dental"})
        cls.entry_other = Entry.create({"patient_id": cls.anna.id, "room_id": cls.other_room.id})
        cls.entry_expired = Entry.create(
            {"patient_id": cls.boris.id, "room_id": cls.room.id, "expires_at": "2000-01-01"}
        )
        for entry in (cls.entry_anna, cls.entry_boris, cls.entry_dieter):
            cls.page_opens(entry)

    def reached(self):
        entries = self.env["clinic.waiting.entry"].search([("exchange_count", ">", 0)])
        return set(entries.patient_id.mapped("name")), entries

    def test_w3_notify_all_without_filter_reaches_every_status(self):
        self.assertEqual(
            {self.entry_anna.state, self.entry_carla.state, self.entry_dieter.state},
            {"waiting", "in_consultation", "on_hold"},
        )
        count = self.room.with_user(self.operator).action_notify_all("Short delay today")
        self.assertEqual(count, 4)
        __, entries = self.reached()
        self.assertEqual(
            entries, self.entry_anna | self.entry_boris | self.entry_carla | self.entry_dieter
        )
        displayed = self.room.with_user(self.operator).get_dashboard_data()["entries"]
        self.assertEqual({e["id"] for e in displayed}, set(entries.ids))
        self.assertTrue(all(e["count"] == 1 and e["colour"] == "blue" for e in displayed))

    def test_w3_notify_filtered_reaches_only_the_displayed(self):
        room = self.room.with_user(self.operator)
        displayed = room.get_dashboard_data(status="on_hold")["entries"]
        self.assertEqual([e["id"] for e in displayed], self.entry_dieter.ids)
        self.assertEqual(room.action_notify_all("Back in 5 minutes", status="on_hold"), 1)
        __, entries = self.reached()
        self.assertEqual(entries, self.entry_dieter)

        room.action_notify_all("Please have your card ready", status="waiting")
        __, entries = self.reached()
        self.assertEqual(entries, self.entry_dieter | self.entry_anna | self.entry_boris)
        self.assertEqual(self.entry_carla.exchange_count, 0)
        self.assertEqual(self.entry_other.exchange_count, 0)
        self.assertEqual(self.entry_expired.exchange_count, 0)

    def test_w3_broadcast_is_a_text_comment_by_the_operator(self):
        self.room.with_user(self.operator).action_notify_all("<b>Closed</b> at 5 & later")
        for entry in (self.entry_anna, self.entry_dieter):
            messages = entry.with_user(self.operator).get_conversation()
            self.assertEqual(
                [(m["from"], m["text"]) for m in messages],
                [("clinic", "<b>Closed</b> at 5 & later")],
            )
            message = self.env["mail.message"].browse(messages[0]["id"])
            self.assertEqual(message.author_id, self.operator.partner_id)
            self.assertNotIn("<b>", message.body)
            self.assertEqual(message.model, "discuss.channel")
            self.assertEqual(message.res_id, entry.channel_id.id)

    def test_w3_unknown_filter_refused(self):
        with self.assertRaises(UserError):
            self.room.with_user(self.operator).action_notify_all("x", status="done'; --")

    def test_w1_dashboard_lists_every_live_visit(self):
        data = self.room.with_user(self.operator).get_dashboard_data()
        self.assertEqual(data["room_id"], self.room.id)
        names = [e["patient"] for e in data["entries"]]
        self.assertEqual(
            sorted(names), ["Anna Schmidt", "Boris Ivanov", "Carla Rossi", "Dieter Vogel"]
        )
        row = next(e for e in data["entries"] if e["id"] == self.entry_anna.id)
        self.assertEqual((row["status"], row["count"]), ("waiting", 0))
        self.assertEqual(row["arrival"], str(self.entry_anna.arrival_dt))
        self.assertEqual(data["threshold"], 30)

    def test_w3_notify_all_reaches_those_not_there_yet(self):
        """W11: no filter means everyone, also a patient who has not opened the link
        yet: they read it when they do."""
        late = self.env["clinic.waiting.entry"].create(
            {"patient_id": self.carla.id, "room_id": self.room.id}
        )
        self.assertEqual(late.status, "invited")
        self.room.with_user(self.operator).action_notify_all("Hello everyone")
        self.assertEqual(late.exchange_count, 1)
        page = late.sudo()._patient_page_values()
        self.assertEqual([m["text"] for m in page["messages"]], ["Hello everyone"])
