"""Pure helpers: delivery states, colours, channel rules, quiet hours, replies, keys
(C6, C9-C13, 11.3)."""

from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..tools import (
    channel_rules,
    colour,
    keys,
    message_state,
    quiet_hours,
    reply_intent,
    telegram_link,
)
from ..tools.message_state import DELIVERED, FAILED, QUEUED, READ, SENDING, SENT, UNKNOWN


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
            # C11: the outbox's own states are never reported by a provider...
            (QUEUED, SENDING, None),
            (SENDING, UNKNOWN, None),
            # ...but a provider's report settles a message in flight or unknown.
            (SENDING, SENT, SENT),
            (SENDING, DELIVERED, DELIVERED),
            (UNKNOWN, DELIVERED, DELIVERED),
            (UNKNOWN, FAILED, FAILED),
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

    def test_c12_c6_replied_and_opened_colours(self):
        table = [
            # messenger states, response, handled, replied, opened, colour
            ([DELIVERED], False, False, True, False, colour.PURPLE),
            ([], False, False, True, True, colour.PURPLE),  # a reply outweighs a visit
            ([DELIVERED], False, False, False, True, colour.CYAN),
            ([], False, False, False, True, colour.CYAN),  # opened from the SMS
            ([DELIVERED], "confirm", False, True, True, colour.GREEN),  # the choice wins
            ([DELIVERED], False, True, True, False, colour.PINK),  # handled wins
        ]
        for states, response, handled, replied, opened, expected in table:
            with self.subTest(response=response, replied=replied, opened=opened):
                self.assertEqual(
                    colour.decide(states, response, handled, replied, opened), expected
                )

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
    KEY = keys.derive("s3cret", keys.LINK_SIGNING)

    def test_c9_start_payload_round_trip(self):
        nonce = telegram_link.new_nonce()
        payload = telegram_link.make_payload(self.KEY, 123456789012, nonce)
        # Telegram: at most 64 characters of A-Za-z0-9_-
        self.assertRegex(payload, r"^[A-Za-z0-9_-]{1,64}$")
        self.assertEqual(telegram_link.read_payload(self.KEY, payload), (123456789012, nonce))
        self.assertEqual(
            telegram_link.deep_link("@ClinicBot", payload),
            f"https://t.me/ClinicBot?start={payload}",
        )

    def test_r3_start_payload_rejected_when_forged(self):
        nonce = "0123456789abcdef"
        payload = telegram_link.make_payload(self.KEY, 42, nonce)
        rejected = {
            "other key": telegram_link.make_payload(keys.derive("x", keys.LINK_SIGNING), 42, nonce),
            "other patient": payload.replace("42-", "43-", 1),
            "other nonce": payload.replace(nonce, "fedcba9876543210"),
            "malformed": "42-2026-abc",
            "not a string": None,
        }
        for case, candidate in rejected.items():
            with self.subTest(case=case):
                self.assertIsNone(telegram_link.read_payload(self.KEY, candidate))
        self.assertIsNone(telegram_link.read_payload("", payload), "no key, no link")

    def test_c9_start_command_parsed(self):
        self.assertEqual(telegram_link.start_payload("/start abc-1"), "abc-1")
        self.assertEqual(telegram_link.start_payload("/start@ClinicBot abc-1"), "abc-1")
        for text in ("/start", "hello", "/help abc", None, "/start a b"):
            with self.subTest(text=text):
                self.assertIsNone(telegram_link.start_payload(text))


@tagged("post_install", "-at_install")
class TestKeys(BaseCase):
    def test_11_3_one_key_per_purpose(self):
        derived = {purpose: keys.derive("master", purpose) for purpose in keys.PURPOSES}
        self.assertEqual(len(set(derived.values())), 3, "each purpose has its own key")
        for key in derived.values():
            self.assertRegex(key, r"^[0-9a-f]{64}$")
            self.assertNotIn("master", key)
        self.assertNotEqual(derived[keys.LINK_SIGNING], keys.derive("other", keys.LINK_SIGNING))
        self.assertEqual(keys.derive("", keys.LINK_SIGNING), "", "no secret, no key")
        with self.assertRaises(ValueError):
            keys.derive("master", "anything else")


@tagged("post_install", "-at_install")
class TestQuietHours(BaseCase):
    BERLIN = "Europe/Berlin"

    def until(self, utc, start=21.0, end=8.0, zone=BERLIN):
        return quiet_hours.quiet_until(utc, zone, start, end)

    def test_c13_default_window_crosses_midnight(self):
        # 2026-01-15, Berlin is UTC+1.
        self.assertIsNone(self.until(datetime(2026, 1, 15, 19, 59)))  # 20:59 local
        self.assertEqual(
            self.until(datetime(2026, 1, 15, 20, 0)), datetime(2026, 1, 16, 7, 0)
        )  # 21:00 local -> 08:00 next morning
        self.assertEqual(
            self.until(datetime(2026, 1, 16, 2, 0)), datetime(2026, 1, 16, 7, 0)
        )  # 03:00 local
        self.assertIsNone(self.until(datetime(2026, 1, 16, 7, 0)))  # 08:00 local

    def test_c13_in_the_clinic_time_zone_and_dst(self):
        # Summer: UTC+2. 20:30 UTC is 22:30 in Berlin but 16:30 in New York.
        self.assertEqual(self.until(datetime(2026, 7, 15, 20, 30)), datetime(2026, 7, 16, 6, 0))
        self.assertIsNone(self.until(datetime(2026, 7, 15, 20, 30), zone="America/New_York"))
        # The night the clocks go forward (29 March 2026): 08:00 is 06:00 UTC.
        self.assertEqual(self.until(datetime(2026, 3, 28, 22, 0)), datetime(2026, 3, 29, 6, 0))

    def test_c13_window_within_a_day_and_none(self):
        self.assertEqual(
            self.until(datetime(2026, 1, 15, 12, 15), 13.0, 14.5), datetime(2026, 1, 15, 13, 30)
        )
        self.assertIsNone(self.until(datetime(2026, 1, 15, 14, 0), 13.0, 14.5))
        self.assertIsNone(self.until(datetime(2026, 1, 15, 23, 0), 0.0, 0.0), "no quiet hours")


@tagged("post_install", "-at_install")
class TestReplyIntent(BaseCase):
    def test_c12_clear_yes_and_no_in_three_languages(self):
        table = {
            reply_intent.CONFIRM: [
                "да", "Да!", "Да, приду", "ок, спасибо", "Буду", "yes", "Yes, I'll be there",
                "ok", "Confirmed", "👍", "✅", "Ja", "ja, ich komme", "Ja gerne, danke",
            ],
            reply_intent.CANCEL: [
                "нет", "Не приду", "не смогу, извините", "no", "Cancel", "I can't come",
                "👎", "Nein", "ich kann leider nicht", "Absagen bitte", "❌",
            ],
        }  # fmt: skip
        for expected, texts in table.items():
            for text in texts:
                with self.subTest(text=text):
                    self.assertEqual(reply_intent.classify(text), expected)

    def test_c12_anything_else_is_for_a_person(self):
        for text in (
            "да, но можно позже?", "yes but later", "можно перенести?", "Kann ich verschieben?",
            "да нет", "yes no", "What time?", "Hallo", "Кто это?", "Stop", "", "   ", None,
            "да " * 100,
        ):  # fmt: skip
            with self.subTest(text=text):
                self.assertIsNone(reply_intent.classify(text))
