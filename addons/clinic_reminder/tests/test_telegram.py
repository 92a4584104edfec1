"""C9, 11.3: patients link their Telegram chat through the bot's one-time link, offline."""

import json
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from ..tools import keys, telegram_link
from .common import ClinicReminderCommon

CHAT = 555001
OTHER_CHAT = 666002


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
        cls.webhook_token = keys.derive(cls.secret, keys.TELEGRAM_WEBHOOK)

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        self.gw_messenger.action_telegram_set_webhook()

    def link_payload(self, partner):
        # The webhook wrote through the HTTP request's environment: read afresh.
        partner.invalidate_recordset()
        partner._clinic_telegram_ensure_link()
        partner.invalidate_recordset()
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
                "secret_token": self.webhook_token,
            },
        )
        self.assertNotEqual(self.webhook_token, self.secret, "11.3: a key of its own")

    def test_c9_only_managers_register_the_webhook(self):
        with self.assertRaises(AccessError):
            self.gw_messenger.with_user(self.operator).action_telegram_set_webhook()
        self.gw_messenger.with_user(self.manager).action_telegram_set_webhook()

    def test_c9_deep_link_links_the_chat_and_the_reminder_reaches_it(self):
        self.visit._clinic_reminder_ensure_token()
        page = self.url_open(f"/clinic/r/{self.visit.clinic_reminder_token}")
        payload = self.link_payload(self.anna)
        self.assertIn(f"https://t.me/ClinicTestBot?start={payload}", page.text)

        self.assertEqual(self.messenger.telegram_start(CHAT, payload), 200)
        self.anna.invalidate_recordset()
        self.assertEqual(self.anna.clinic_telegram_chat_id, str(CHAT))
        self.assertTrue(self.anna.clinic_messenger_last_inbound)

        campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        campaign.action_send()
        self.dispatch()
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
        self.dispatch()
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
        # The master secret is no webhook token (11.3: one key per purpose).
        self.assertEqual(
            self.post_update(CHAT, f"/start {payload}", secret=self.secret).status_code, 401
        )
        # Another patient's id under Anna's signature, a link signed with the master
        # secret instead of the link key: nothing linked.
        forged = payload.replace(f"{self.anna.id}-", f"{self.boris.id}-", 1)
        nonce = self.anna.sudo().clinic_telegram_nonce
        master_signed = telegram_link.make_payload(self.secret, self.anna.id, nonce)
        for text in (f"/start {forged}", f"/start {master_signed}"):
            with self.subTest(text=text):
                response = self.post_update(CHAT, text)
                self.assertEqual(response.json(), {"ok": True, "result": None})
        malformed = self.url_open(
            "/clinic/reminder/telegram/test_messenger",
            data=b'{"message": {"chat": {"id": "x"}}}',
            headers={"X-Telegram-Bot-Api-Secret-Token": self.webhook_token},
        )
        self.assertEqual(malformed.status_code, 400)
        (self.anna | self.boris).invalidate_recordset()
        self.assertFalse(self.anna.clinic_telegram_chat_id)
        self.assertFalse(self.boris.clinic_telegram_chat_id)

    def test_c10_patient_message_opens_the_free_text_window(self):
        self.anna.sudo().clinic_telegram_chat_id = str(CHAT)
        self.assertFalse(self.anna.clinic_messenger_last_inbound)
        self.assertEqual(self.post_update(CHAT, "I will come").json()["result"], "reply")
        self.anna.invalidate_recordset()
        self.assertTrue(self.anna.clinic_messenger_last_inbound)

    def test_11_3_link_works_once(self):
        payload = self.link_payload(self.anna)
        self.assertEqual(self.messenger.telegram_start(CHAT, payload), 200)
        self.anna.invalidate_recordset()
        self.assertEqual(self.anna.clinic_telegram_chat_id, str(CHAT))
        # The same link replayed from another chat (it was shown on the page for days).
        response = self.post_update(OTHER_CHAT, f"/start {payload}")
        self.assertEqual(response.json(), {"ok": True, "result": None})
        self.anna.invalidate_recordset()
        self.assertEqual(self.anna.clinic_telegram_chat_id, str(CHAT))
        self.assertFalse(self.anna.clinic_telegram_pending_chat_id)

    def test_11_3_link_expires(self):
        payload = self.link_payload(self.anna)
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            response = self.post_update(CHAT, f"/start {payload}")
        self.assertEqual(response.json(), {"ok": True, "result": None})
        self.anna.invalidate_recordset()
        self.assertFalse(self.anna.clinic_telegram_chat_id)

    def test_11_3_linked_patient_is_never_relinked_silently(self):
        self.assertEqual(self.messenger.telegram_start(CHAT, self.link_payload(self.anna)), 200)
        # A new, genuine link opened in another chat: only proposed to the clinic.
        payload = self.link_payload(self.anna)
        response = self.post_update(OTHER_CHAT, f"/start {payload}")
        self.assertEqual(response.json(), {"ok": True, "result": "proposed"})
        self.anna.invalidate_recordset()
        self.assertEqual(self.anna.clinic_telegram_chat_id, str(CHAT))
        self.assertEqual(self.anna.clinic_telegram_pending_chat_id, str(OTHER_CHAT))
        self.assertIn("Another Telegram chat", self.anna.message_ids[0].body)
        # Staff check with the patient, then confirm.
        self.anna.with_user(self.operator).action_clinic_telegram_confirm_chat()
        self.anna.invalidate_recordset()
        self.assertEqual(self.anna.clinic_telegram_chat_id, str(OTHER_CHAT))
        self.assertFalse(self.anna.clinic_telegram_pending_chat_id)

    def test_11_3_operator_cannot_point_a_patient_at_a_chat_over_rpc(self):
        self.operator.password = "clinic_operator_pw"
        self.authenticate("clinic_operator", "clinic_operator_pw")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "res.partner",
                    "method": "write",
                    "args": [self.anna.ids, {"clinic_telegram_chat_id": str(OTHER_CHAT)}],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(caught.exception))
        self.anna.invalidate_recordset()
        self.assertFalse(self.anna.clinic_telegram_chat_id)

    def test_11_3_a_copied_patient_does_not_get_the_chat(self):
        self.anna.sudo().clinic_telegram_chat_id = str(CHAT)
        copy = self.anna.with_user(self.operator).copy({"name": "Anna Copy"})
        self.assertFalse(copy.sudo().clinic_telegram_chat_id)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.operator).create(
                {"name": "Mallory", "is_patient": True, "clinic_telegram_chat_id": str(CHAT)}
            )

    @mute_logger("odoo.addons.clinic_reminder.controllers.main")
    def test_11_3_webhook_token_cannot_sign_delivery_reports(self):
        # Telegram (and whoever reads its requests) knows the webhook token: it must
        # not sign a delivery report of any gateway.
        body = json.dumps({"id": "x", "status": "failed"}).encode()
        forger = type(self.messenger)("t", self.webhook_token)
        body, headers = forger.signed_request({"id": "x", "status": "failed"})
        response = self.url_open(
            f"/clinic/reminder/callback/{self.gw_messenger.code}", data=body, headers=headers
        )
        self.assertEqual(response.status_code, 401)
