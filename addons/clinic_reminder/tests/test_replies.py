"""C12: patients' replies by Telegram, Twilio SMS and SMPP reach the chatter and the row."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from ..tools import keys
from .common import ClinicReminderCommon
from .test_providers import CLINIC_NUMBER, SmppCommon, TwilioCommon

CHAT = 424242
UNKNOWN_NUMBER = "+4917099999999"


class RepliesMixin:
    def row(self, visit):
        return self.env["clinic.call.list.line"].search(
            [("event_id", "=", visit.id), ("list_kind", "=", "reminder")]
        )

    def assert_on_chatter(self, partner, text):
        partner.invalidate_recordset()
        bodies = partner.message_ids.mapped("body")
        self.assertTrue(any(text in body for body in bodies), bodies)

    def assert_suggested_not_applied(self, visit, reply, intent):
        self.assertEqual(reply.intent, intent)
        self.assertEqual(reply.state, "new")
        self.assertEqual(visit.clinic_state, "booked", "nothing applied without the click")
        self.assertFalse(visit.clinic_reminder_response)
        row = self.row(visit)
        self.assertEqual(row.reminder_colour, "purple")
        self.assertEqual(row.reminder_reply_intent, intent)


@tagged("post_install", "-at_install")
class TestTelegramReplies(RepliesMixin, ClinicReminderCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gw_messenger.write(
            {"kind": "telegram", "url": cls.messenger.url, "telegram_bot_username": "ClinicBot"}
        )
        cls.anna.sudo().clinic_telegram_chat_id = str(CHAT)

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        self.gw_messenger.action_telegram_set_webhook()
        self.messenger.telegram_chats.add(str(CHAT))
        self.visit, self.campaign = self.make_sent_campaign(self.anna, 9)

    def say(self, text, chat=CHAT):
        url, body, headers = self.messenger.telegram_request(chat, text)
        return self.url_open(url, data=body, headers=headers)

    def test_c12_telegram_reply_da_suggests_confirm_applied_by_one_click(self):
        self.assertEqual(self.say("Да").json(), {"ok": True, "result": "reply"})
        reply = self.env["clinic.reminder.reply"].search([("partner_id", "=", self.anna.id)])
        self.assertEqual(
            (reply.event_id, reply.text, reply.channel), (self.visit, "Да", "messenger")
        )
        self.assert_on_chatter(self.anna, "Да")
        self.assert_suggested_not_applied(self.visit, reply, "confirm")
        # The operator's one click.
        self.row(self.visit).with_user(self.operator).action_reminder_reply_confirm()
        self.assertEqual(self.visit.clinic_state, "confirmed")
        self.assertEqual((reply.state, reply.handled_by_id), ("confirmed", self.operator))
        self.assertEqual(self.row(self.visit).reminder_colour, "green")
        with self.assertRaises(UserError):
            reply.with_user(self.operator).action_confirm_appointment()

    def test_c12_unclear_reply_is_only_read(self):
        self.say("Можно перенести на пятницу?")
        reply = self.env["clinic.reminder.reply"].search([("partner_id", "=", self.anna.id)])
        self.assertFalse(reply.intent)
        row = self.row(self.visit)
        self.assertEqual(row.reminder_colour, "purple")
        row.with_user(self.operator).action_reminder_reply_read()
        with self.assertRaises(UserError):
            reply.with_user(self.operator).action_mark_read()
        self.assertEqual(reply.state, "done")
        self.assertEqual(self.row(self.visit).reminder_colour, "blue")
        self.assertEqual(self.visit.clinic_state, "booked")

    def test_c12_repeated_update_is_one_reply(self):
        url, body, headers = self.messenger.telegram_request(CHAT, "да")
        self.url_open(url, data=body, headers=headers)
        self.url_open(url, data=body, headers=headers)  # Telegram retries a webhook call
        self.assertEqual(
            self.env["clinic.reminder.reply"].search_count([("partner_id", "=", self.anna.id)]), 1
        )

    def test_c12_unknown_chat_kept_visible_and_harmless(self):
        self.messenger.telegram_chats.add("999")
        self.assertEqual(self.say("да", chat=999).status_code, 200)
        reply = (
            self.env["clinic.reminder.reply"]
            .with_user(self.operator)
            .search([("sender", "=", "999")])
        )
        self.assertEqual(len(reply), 1, "kept, and operators see it")
        self.assertFalse(reply.partner_id or reply.event_id or reply.intent)
        self.assertEqual(self.visit.clinic_state, "booked")
        self.assertEqual(self.row(self.visit).reminder_colour, "blue")
        with self.assertRaises(UserError):
            reply.action_confirm_appointment()


@tagged("post_install", "-at_install")
class TestTwilioReplies(RepliesMixin, TwilioCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        self.visit, self.campaign = self.make_sent_campaign(self.boris, 10)

    def text_in(self, sender, text):
        return self.twilio.incoming(
            self.gw_sms.twilio_inbound_url, sender, CLINIC_NUMBER, text, session=self.opener
        )

    def test_c12_twilio_inbound_sms_nein_suggests_cancel(self):
        response = self.text_in("+79162345678", "Nein")
        self.assertEqual(response.status_code, 200)
        self.assertIn("<Response>", response.text)
        reply = self.env["clinic.reminder.reply"].search([("partner_id", "=", self.boris.id)])
        self.assertEqual((reply.event_id, reply.channel), (self.visit, "sms"))
        self.assert_on_chatter(self.boris, "Nein")
        self.assert_suggested_not_applied(self.visit, reply, "cancel")
        self.row(self.visit).with_user(self.operator).action_reminder_reply_cancel()
        self.assertEqual(self.visit.clinic_state, "cancelled")
        self.assertEqual(self.row(self.visit).reminder_colour, "red")

    def test_c12_unknown_number_kept_visible_and_harmless(self):
        before = self.boris.message_ids
        self.assertEqual(self.text_in(UNKNOWN_NUMBER, "Ja").status_code, 200)
        replies = self.env["clinic.reminder.reply"].with_user(self.operator).search([])
        self.assertEqual(replies.sender, UNKNOWN_NUMBER)
        self.assertFalse(replies.partner_id or replies.event_id or replies.intent)
        self.boris.invalidate_recordset()
        self.assertEqual(self.boris.message_ids, before)
        self.assertEqual(self.visit.clinic_state, "booked")

    def test_c12_patient_text_is_kept_as_text(self):
        self.text_in("+79162345678", "<img src=x onerror=alert(1)>да")
        self.boris.invalidate_recordset()
        self.assertIn("&lt;img", self.boris.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestSmppReplies(RepliesMixin, SmppCommon, TransactionCase):
    SENDER = CLINIC_NUMBER.lstrip("+")

    def test_c12_smpp_deliver_sm_reply(self):
        visit, _campaign = self.make_sent_campaign(self.anna, 9)
        self.smsc.mobile_originated("+4915123456789", CLINIC_NUMBER, "Ja, ich komme 👍")
        self.gw_sms._smpp_receive(idle=0.3, limit=5)
        reply = self.env["clinic.reminder.reply"].search([("partner_id", "=", self.anna.id)])
        self.assertEqual(reply.text, "Ja, ich komme 👍")
        self.assertEqual(reply.event_id, visit)
        self.assert_on_chatter(self.anna, "Ja, ich komme")
        self.assert_suggested_not_applied(visit, reply, "confirm")
        self.assertTrue(self.smsc.wait_for(lambda: self.smsc.waiting() == 0), "acknowledged")


@tagged("post_install", "-at_install")
class TestReplyAccess(ClinicReminderCommon, TransactionCase):
    def test_c12_plain_user_cannot_read_replies(self):
        with self.assertRaises(AccessError):
            self.env["clinic.reminder.reply"].with_user(self.plain_user).search([])

    def test_c12_operator_cannot_write_replies(self):
        reply = self.env["clinic.reminder.reply"]._receive(
            self.gw_sms, "+4915123456789", "ok", None
        )
        with self.assertRaises(AccessError):
            reply.with_user(self.operator).write({"state": "confirmed"})

    def test_c12_generic_gateway_inbound(self):
        self.assertEqual(keys.derive("", keys.DELIVERY_REPORTS), "")
        visit, _campaign = self.make_sent_campaign(self.anna, 9)
        self.assertTrue(
            self.gw_messenger._process_callback(
                {"from": "+4915123456789", "text": "yes", "id": "in-1"}
            )
        )
        reply = self.env["clinic.reminder.reply"].search(
            [("gateway_id", "=", self.gw_messenger.id)]
        )
        self.assertEqual((reply.event_id, reply.intent), (visit, "confirm"))
