"""C9: patients link their Telegram chat through the bot's deep link, offline."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..tools import telegram_link
from .common import ClinicReminderCommon

CHAT = 555001


@tagged("post_install", "-at_install")
class TestTelegramLinking(ClinicReminderCommon, HttpCase):
    """The local gateway plays the Telegram Bot API and the patient's app."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gw_messenger.write(
            {"kind": "telegram", "url": cls.messenger.url, "telegram_bot_username": "ClinicTestBot"}
        )
        cls.visit = cls.make_visit(cls.anna, cls.tomorrow, 9)
        cls.secret = cls.gw_messenger.webhook_secret

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        self.gw_messenger.action_telegram_set_webhook()

    def link_payload(self, partner):
        link = partner.with_user(self.operator).clinic_telegram_link_url
        self.assertTrue(link.startswith("https://t.me/ClinicTestBot?start="), link)
        return link.split("?start=", 1)[1]

    def post_update(self, chat_id, text, secret=None):
        url, body, headers = self.messenger.telegram_request(chat_id, text)
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return self.url_open(url, data=body, headers=headers)

    def test_c9_webhook_registered_with_its_secret(self):
        self.assertEqual(
            self.messenger.telegram_webhook,
            {
                "url": f"{self.base_url()}/clinic/reminder/telegram/test_messenger",
                "secret_token": self.secret,
            },
        )

    def test_c9_only_managers_register_the_webhook(self):
        with self.assertRaises(AccessError):
            self.gw_messenger.with_user(self.operator).action_telegram_set_webhook()
        self.gw_messenger.with_user(self.manager).action_telegram_set_webhook()

    def test_c9_deep_link_links_the_chat_and_the_reminder_reaches_it(self):
        payload = self.link_payload(self.anna)
        self.visit._clinic_reminder_ensure_token()
        page = self.url_open(f"/clinic/r/{self.visit.clinic_reminder_token}")
        self.assertIn(f"https://t.me/ClinicTestBot?start={payload}", page.text)

        self.assertEqual(self.messenger.telegram_start(CHAT, payload), 200)
        self.anna.invalidate_recordset()
        self.assertEqual(self.anna.clinic_telegram_chat_id, str(CHAT))
        self.assertTrue(self.anna.clinic_messenger_last_inbound)

        campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        campaign.action_send()
        message = campaign.message_ids.filtered(lambda m: m.event_id == self.visit)
        self.assertEqual((message.channel, message.state), ("messenger", "delivered"))
        (text,) = self.messenger.texts_to(str(CHAT))
        self.assertIn("Anna Schmidt", text)
        self.assertFalse(self.sms.texts_to("+4915123456789"), "reached: no SMS fallback")
        # Linked: the page no longer offers the link.
        page = self.url_open(f"/clinic/r/{self.visit.clinic_reminder_token}")
        self.assertNotIn("t.me/ClinicTestBot", page.text)

    def test_c9_without_the_link_the_bot_cannot_write(self):
        campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        campaign.action_send()
        channels = campaign.message_ids.filtered(lambda m: m.event_id == self.visit)
        self.assertEqual(
            {(m.channel, m.state) for m in channels}, {("messenger", "failed"), ("sms", "sent")}
        )

    @mute_logger("odoo.addons.clinic_reminder.controllers.main", "odoo.http")
    def test_c9_webhook_rejects_bad_secret_and_forged_links(self):
        payload = self.link_payload(self.anna)
        self.assertEqual(
            self.post_update(CHAT, f"/start {payload}", secret="wrong").status_code, 401
        )
        self.assertEqual(self.post_update(CHAT, f"/start {payload}", secret="").status_code, 401)
        # Another patient's id under Anna's signature, an expired link: nothing linked.
        forged = payload.replace(f"{self.anna.id}-", f"{self.boris.id}-", 1)
        yesterday = fields.Date.today() - timedelta(days=1)
        expired = telegram_link.make_payload(self.secret, self.anna.id, yesterday)
        for text in (f"/start {forged}", f"/start {expired}", "hello"):
            with self.subTest(text=text):
                response = self.post_update(CHAT, text)
                self.assertEqual(response.json(), {"ok": True, "linked": False})
        malformed = self.url_open(
            "/clinic/reminder/telegram/test_messenger",
            data=b'{"message": {"chat": {"id": "x"}}}',
            headers={"X-Telegram-Bot-Api-Secret-Token": self.secret},
        )
        self.assertEqual(malformed.status_code, 400)
        (self.anna | self.boris).invalidate_recordset()
        self.assertFalse(self.anna.clinic_telegram_chat_id)
        self.assertFalse(self.boris.clinic_telegram_chat_id)

    def test_c10_patient_message_opens_the_free_text_window(self):
        self.anna.clinic_telegram_chat_id = str(CHAT)
        self.assertFalse(self.anna.clinic_messenger_last_inbound)
        self.assertEqual(self.post_update(CHAT, "I will come").json()["linked"], False)
        self.anna.invalidate_recordset()
        self.assertTrue(self.anna.clinic_messenger_last_inbound)
