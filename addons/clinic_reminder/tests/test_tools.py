"""Pure helpers: delivery states, colours, channel rules (C6, C9, C10)."""

from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..tools import channel_rules, colour, message_state, telegram_link
from ..tools.message_state import DELIVERED, FAILED, QUEUED, READ, SENT


@tagged("post_install", "-at_install")
class TestMessageState(BaseCase):
    def test_c10_states_only_move_forward(self):
        table = [
            # current, incoming, expected
            (QUEUED, SENT, SENT),
            (SENT, DELIVERED, DELIVERED),
            (SENT, READ, READ),
            (DELIVERED, READ, READ),
            (READ, DELIVERED, None),  # out of order: no going back
            (DELIVERED, DELIVERED, None),  # duplicate
            (SENT, FAILED, FAILED),
            (QUEUED, FAILED, FAILED),
            (DELIVERED, FAILED, None),  # it arrived: a late failure is noise
            (READ, FAILED, None),
            (FAILED, DELIVERED, DELIVERED),  # it did arrive after all
            (FAILED, SENT, None),
            (FAILED, FAILED, None),
            (SENT, QUEUED, None),
            (SENT, "bogus", None),
        ]
        for current, incoming, expected in table:
            with self.subTest(current=current, incoming=incoming):
                self.assertEqual(message_state.advance(current, incoming), expected)

    def test_c9_odoo_sms_states_mapped(self):
        table = {
            "outgoing": None,  # still in Odoo's queue: nothing new
            "process": SENT,
            "pending": SENT,
            "sent": DELIVERED,  # Odoo's "sent" is "Delivered"
            "error": FAILED,
            "canceled": FAILED,
            "bogus": None,
        }
        for sms_state, expected in table.items():
            with self.subTest(sms_state=sms_state):
                self.assertEqual(message_state.from_odoo_sms(sms_state), expected)


@tagged("post_install", "-at_install")
class TestColour(BaseCase):
    def test_c6_colour_table(self):
        table = [
            # messenger states, response, handled, colour
            ([], False, False, colour.GREY),
            ([FAILED], False, False, colour.GREY),
            ([SENT], False, False, colour.GREY),
            ([QUEUED], False, False, colour.GREY),
            ([DELIVERED], False, False, colour.BLUE),
            ([READ], False, False, colour.BLUE),
            ([FAILED, DELIVERED], False, False, colour.BLUE),
            ([DELIVERED], "confirm", False, colour.GREEN),
            ([], "confirm", False, colour.GREEN),  # confirmed through the SMS link
            ([DELIVERED], "reschedule", False, colour.ORANGE),
            ([DELIVERED], "cancel", False, colour.RED),
            ([DELIVERED], False, True, colour.PINK),
            ([], "cancel", True, colour.PINK),
        ]
        for states, response, handled, expected in table:
            with self.subTest(states=states, response=response, handled=handled):
                self.assertEqual(colour.decide(states, response, handled), expected)

    def test_c5_needs_call(self):
        self.assertEqual(set(colour.COLOURS) - set(colour.NEEDS_CALL), {colour.GREEN, colour.PINK})


@tagged("post_install", "-at_install")
class TestChannelRules(BaseCase):
    NOW = datetime(2026, 5, 4, 12, 0)

    def test_c10_templates_always_allowed(self):
        self.assertTrue(channel_rules.check_window(True, None, self.NOW, 24))

    def test_c10_free_text_inside_window_only(self):
        inside = self.NOW - timedelta(hours=23)
        outside = self.NOW - timedelta(hours=25)
        self.assertTrue(channel_rules.check_window(False, inside, self.NOW, 24))
        with self.assertRaises(channel_rules.ChannelRuleError):
            channel_rules.check_window(False, outside, self.NOW, 24)
        with self.assertRaises(channel_rules.ChannelRuleError):
            channel_rules.check_window(False, None, self.NOW, 24)
        self.assertTrue(channel_rules.check_window(False, None, self.NOW, 0))


@tagged("post_install", "-at_install")
class TestTelegramLink(BaseCase):
    SECRET = "s3cret"

    def test_c9_start_payload_round_trip(self):
        today = datetime(2026, 5, 1).date()
        payload = telegram_link.make_payload(self.SECRET, 42, today + timedelta(days=30))
        # Telegram: at most 64 characters of A-Za-z0-9_-
        self.assertRegex(payload, r"^[A-Za-z0-9_-]{1,64}$")
        self.assertEqual(telegram_link.read_payload(self.SECRET, payload, today), 42)
        self.assertEqual(
            telegram_link.deep_link("@ClinicBot", payload),
            f"https://t.me/ClinicBot?start={payload}",
        )

    def test_r3_start_payload_rejected_when_forged_or_expired(self):
        today = datetime(2026, 5, 1).date()
        payload = telegram_link.make_payload(self.SECRET, 42, today)
        self.assertEqual(telegram_link.read_payload(self.SECRET, payload, today), 42)
        rejected = {
            "expired": (payload, today + timedelta(days=1)),
            "other secret": (telegram_link.make_payload("other", 42, today), today),
            "other patient": (payload.replace("42-", "43-", 1), today),
            "longer life": (payload.replace("20260501", "20270501"), today),
            "malformed": ("42-2026-abc", today),
            "not a string": (None, today),
        }
        for case, (candidate, day) in rejected.items():
            with self.subTest(case=case):
                self.assertIsNone(telegram_link.read_payload(self.SECRET, candidate, day))

    def test_c9_start_command_parsed(self):
        self.assertEqual(telegram_link.start_payload("/start abc-1"), "abc-1")
        self.assertEqual(telegram_link.start_payload("/start@ClinicBot abc-1"), "abc-1")
        for text in ("/start", "hello", "/help abc", None, "/start a b"):
            with self.subTest(text=text):
                self.assertIsNone(telegram_link.start_payload(text))
