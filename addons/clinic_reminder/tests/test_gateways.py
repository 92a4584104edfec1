"""Gateway kinds (C9): request shapes and answers, without a network."""

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from ..tools import outcome as oc
from ..tools.http_client import Reply, post_all
from .common import ClinicReminderCommon


@tagged("post_install", "-at_install")
class TestGateways(ClinicReminderCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.telegram = cls.env["clinic.reminder.gateway"].create(
            {
                "name": "Bot",
                "code": "bot",
                "kind": "telegram",
                "channel": "messenger",
                "api_token": "123:abc",
            }
        )

    def test_c9_telegram_send_message_shape(self):
        self.anna.clinic_telegram_chat_id = "987654"
        self.assertEqual(self.telegram._recipients(self.anna), {self.anna.id: "987654"})
        message = self.env["clinic.reminder.message"].new(
            {"recipient": "987654", "body": "Hi", "is_template": True}
        )
        url, payload, headers = self.telegram._request_telegram(message)
        self.assertEqual(url, "https://api.telegram.org/bot123:abc/sendMessage")
        self.assertEqual(payload, {"chat_id": "987654", "text": "Hi"})

    def test_c9_c11_telegram_answers(self):
        ok = Reply(200, {"ok": True, "result": {"message_id": 42}})
        self.assertEqual(self.telegram._parse_telegram(ok), oc.accepted("42", "delivered"))
        blocked = Reply(403, {"ok": False, "description": "Forbidden: bot was blocked by the user"})
        self.assertEqual(self.telegram._parse_telegram(blocked).kind, oc.REFUSED)
        self.assertIn("blocked", self.telegram._parse_telegram(blocked).error)
        # Never connected: try again. Connected, answer lost: nobody knows (C11).
        self.assertEqual(
            self.telegram._parse_telegram(Reply(error="refused", unsent=True)).kind, oc.RETRY
        )
        self.assertEqual(self.telegram._parse_telegram(Reply(error="timeout")).kind, oc.UNKNOWN)
        self.assertEqual(self.telegram._parse_telegram(Reply(502, {})).kind, oc.UNKNOWN)

    def test_c9_not_connected_without_chat(self):
        self.assertEqual(self.telegram._recipients(self.boris), {})

    def test_c9_c11_http_json_answers(self):
        self.assertEqual(
            self.gw_sms._parse_http_json(Reply(200, {"id": "p-1"})), oc.accepted("p-1", "sent")
        )
        for reply in (Reply(400, {"error": "bad number"}), Reply(200, {})):
            with self.subTest(status=reply.status):
                self.assertEqual(self.gw_sms._parse_http_json(reply).kind, oc.REFUSED)
        # The reference is the generic gateway's idempotency key: trying again is safe.
        for reply in (Reply(500, {"error": "down"}), Reply(error="timeout")):
            with self.subTest(status=reply.status, error=reply.error):
                self.assertEqual(self.gw_sms._parse_http_json(reply).kind, oc.RETRY)

    def test_c9_kind_and_channel_must_match(self):
        with self.assertRaises(ValidationError):
            self.telegram.channel = "sms"

    def test_c9_odoo_sms_gateway(self):
        sent = []

        def fake_send(sms_records, unlink_failed=False, unlink_sent=True, raise_exception=False):
            sent.extend(sms_records.mapped("number"))
            sms_records.write({"state": "pending"})

        self.patch(type(self.env["sms.sms"]), "_send", fake_send)
        self.gw_sms.kind = "odoo_sms"
        self.gw_messenger.kind = "telegram"  # nobody connected: everyone gets an SMS
        visit = self.make_visit(self.anna, self.tomorrow, 9)
        campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        campaign.action_send()
        self.dispatch()
        sms = campaign.message_ids.filtered(lambda m: m.channel == "sms")
        self.assertEqual(sms.event_id, visit)
        self.assertEqual(sms.state, "sent")
        self.assertEqual(sent, ["+4915123456789"])
        self.assertEqual(
            self.env["sms.sms"].search([("uuid", "=", sms.provider_message_id)]).number,
            "+4915123456789",
        )

    def test_c9_unreachable_gateway_fails_messages(self):
        replies = post_all([("http://127.0.0.1:9/messages", {}, {})], workers=2, timeout=2)
        self.assertFalse(replies[0].ok)
        self.assertTrue(replies[0].error)
        self.assertTrue(replies[0].unsent, "nothing listens there: the request never left")

    def test_c9_local_gateway_dedupes_references(self):
        first = self.sms.handle(
            "/messages",
            f"Bearer {self.sms.token}",
            b'{"to": "+491", "text": "x", "reference": "r1"}',
        )
        again = self.sms.handle(
            "/messages",
            f"Bearer {self.sms.token}",
            b'{"to": "+491", "text": "x", "reference": "r1"}',
        )
        self.assertEqual(first, again)
        self.assertEqual(len(self.sms.sent), 1)
        self.assertEqual(self.sms.handle("/messages", "Bearer wrong", b"{}")[0], 401)
