import json
from unittest.mock import patch

from odoo.addons.mail.tools.discuss import Store
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import WaitingRoomCommon


@tagged("post_install", "-at_install")
class TestMessaging(WaitingRoomCommon, TransactionCase):
    def test_w5_counter_and_colour_across_a_conversation(self):
        entry = self.entry_anna
        self.assertEqual(entry.exchange_count, 0)
        self.assertFalse(entry.counter_colour)
        self.staff_says(entry, "Dr. Weber is running 10 minutes late.")
        self.assertEqual((entry.exchange_count, entry.counter_colour), (1, "blue"))
        self.patient_says(entry, "No problem, I'll wait.")
        self.assertEqual((entry.exchange_count, entry.counter_colour), (2, "orange"))
        self.patient_says(entry, "Can I get a coffee meanwhile?")
        self.assertEqual((entry.exchange_count, entry.counter_colour), (3, "orange"))
        self.staff_says(entry, "Of course.", user=self.operator2)
        self.assertEqual((entry.exchange_count, entry.counter_colour), (4, "blue"))
        # the other visit is untouched
        self.assertEqual(self.entry_boris.exchange_count, 0)

    def test_w5_conversation_lists_both_directions(self):
        self.staff_says(self.entry_anna, "Hello")
        self.patient_says(self.entry_anna, "Hi")
        messages = self.entry_anna.with_user(self.operator).get_conversation()
        self.assertEqual(
            [(m["from"], m["text"]) for m in messages], [("clinic", "Hello"), ("patient", "Hi")]
        )
        message = self.env["mail.message"].browse(messages[0]["id"])
        self.assertEqual(message.author_id, self.operator.partner_id)
        message = self.env["mail.message"].browse(messages[1]["id"])
        self.assertEqual(message.author_guest_id, self.entry_anna.guest_id)

    def test_w4_guest_messaging_refused_when_disabled(self):
        self.set_guest_messaging(False)
        with self.assertRaises(AccessError):
            self.patient_says(self.entry_anna, "Hello?")
        self.assertEqual(self.entry_anna.exchange_count, 0)
        self.assertFalse(self.entry_anna._patient_state_values()["can_write"])
        # staff can still write
        self.staff_says(self.entry_anna, "We are ready for you.")
        self.assertEqual(self.entry_anna.exchange_count, 1)

    def test_w4_generic_discuss_route_is_refused_too(self):
        """A guest cannot bypass the setting by posting through Discuss' own path."""
        self.set_guest_messaging(False)
        entry = self.entry_anna
        channel = entry.channel_id.with_user(self.env.ref("base.public_user")).with_context(
            guest=entry.guest_id
        )
        with self.assertRaises(AccessError):
            channel.message_post(body="sneaky", message_type="comment")

    def test_w4_patient_writes_while_on_hold_not_after_the_visit(self):
        entry = self.entry_anna
        entry.with_user(self.operator).action_start_video()
        entry.with_user(self.operator).action_hold()
        entry.with_user(self.operator).action_leave_call()
        self.assertEqual(entry.state, "on_hold")
        self.patient_says(entry, "Still here")
        entry.with_user(self.operator).action_finish()
        with self.assertRaises(AccessError):
            self.patient_says(entry, "Hello?")

    def test_w4_empty_message_refused(self):
        with self.assertRaises(UserError):
            self.patient_says(self.entry_anna, "   ")
        with self.assertRaises(UserError):
            self.staff_says(self.entry_anna, "")

    def test_r3_html_in_patient_message_is_inert(self):
        message = self.patient_says(self.entry_anna, '<img src=x onerror="alert(1)"><b>hi</b>')
        self.assertNotIn("<img", message.body)
        self.assertIn("&lt;img", message.body)
        values = self.entry_anna._message_values(message)[0]
        self.assertEqual(values["text"], '<img src=x onerror="alert(1)"><b>hi</b>')

    def test_r3_patient_sees_only_their_own_conversation(self):
        self.staff_says(self.entry_anna, "For Anna only")
        self.staff_says(self.entry_boris, "For Boris only")
        self.patient_says(self.entry_boris, "Boris here")
        anna_page = self.entry_anna.sudo()._patient_page_values()
        self.assertEqual([m["text"] for m in anna_page["messages"]], ["For Anna only"])
        self.assertNotIn("Boris", str(anna_page))

    def test_w7_channel_is_private_to_the_visit(self):
        channel = self.entry_anna.channel_id
        self.assertEqual(channel.channel_type, "group")
        self.assertEqual(channel.channel_member_ids.guest_id, self.entry_anna.guest_id)
        self.assertFalse(channel.channel_member_ids.partner_id)
        self.assertNotEqual(channel, self.entry_boris.channel_id)

    def bus_alerts_after(self, action):
        """``simple_notification`` bus rows created by ``action``."""
        Bus = self.env["bus.bus"]
        self.env.cr.precommit.run()
        last = Bus.search([], order="id desc", limit=1).id or 0
        action()
        self.env.cr.precommit.run()  # the bus writes its rows on commit
        rows = Bus.search([("id", ">", last)])
        return rows.filtered(lambda row: '"simple_notification"' in row.message)

    def test_w5_message_watcher_is_told_about_patient_messages(self):
        self.room.watcher_id = self.operator2
        self.assertFalse(self.bus_alerts_after(lambda: self.staff_says(self.entry_anna, "Hello")))
        alerts = self.bus_alerts_after(lambda: self.patient_says(self.entry_anna, "Hi"))
        self.assertEqual(len(alerts), 1)
        watcher = self.operator2.partner_id
        expected = [self.env.cr.dbname, "res.partner", watcher.id]
        self.assertEqual(json.loads(alerts.channel), expected)
        self.assertIn("Anna Schmidt", alerts.message)


@tagged("post_install", "-at_install")
class TestChannelLink(WaitingRoomCommon, TransactionCase):
    """Issue 14: the conversation knows its visit, as im_livechat's channels do."""

    def test_14_the_channel_knows_its_visit(self):
        for entry in (self.entry_anna, self.entry_boris):
            self.assertEqual(entry.channel_id.clinic_waiting_entry_id, entry)
            self.assertEqual(entry.channel_id.channel_member_ids.guest_id, entry.guest_id)

    def test_14_posting_elsewhere_looks_for_no_visit(self):
        chat = (
            self.env["discuss.channel"]
            .with_user(self.operator)
            .channel_get(partners_to=self.operator2.partner_id.ids)
        )
        visit_channel = self.entry_anna.channel_id
        Entry = type(self.env["clinic.waiting.entry"])
        with patch.object(Entry, "search", side_effect=AssertionError("searched for a visit")):
            chat.with_user(self.operator).message_post(body="Lunch?", message_type="comment")
            # and a visit's own channel reads its link
            visit_channel.with_user(self.operator).sudo().message_post(
                body="Hello", message_type="comment"
            )
        self.assertEqual(self.entry_anna.exchange_count, 1)

    def test_w6_staff_get_the_visit_with_the_channel(self):
        self.entry_anna.with_user(self.operator).action_start_video()
        channel = self.entry_anna.channel_id.with_user(self.operator)
        store = Store(channel).get_result()
        [data] = [c for c in store["discuss.channel"] if c["id"] == channel.id]
        self.assertEqual(data["clinic_waiting_entry_id"], self.entry_anna.id)
        self.assertFalse(data["clinic_waiting_hold"])
        # the patient's own Discuss page gets no such thing
        guest_channel = channel.with_user(self.env.ref("base.public_user")).with_context(
            guest=self.entry_anna.guest_id
        )
        store = Store(guest_channel.sudo(False)).get_result()
        self.assertNotIn("clinic_waiting_entry_id", str(store))
