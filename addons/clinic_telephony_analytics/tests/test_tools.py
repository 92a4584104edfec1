from odoo.tests import BaseCase, tagged

from ..tools import conversion as conv
from ..tools import tags as t


@tagged("post_install", "-at_install")
class TestConversionTools(BaseCase):
    def test_t7_conversion_values(self):
        self.assertEqual(conv.conversion_value(conv.INCOMING, True), conv.YES)
        self.assertEqual(conv.conversion_value(conv.OUTGOING, True), conv.YES)
        self.assertEqual(conv.conversion_value(conv.INCOMING, False), conv.NO)
        self.assertEqual(conv.conversion_value(conv.OUTGOING_UNANSWERED, False), conv.NO)

    def test_t7_missed_call_is_not_applicable(self):
        self.assertEqual(conv.conversion_value(conv.MISSED, False), conv.NOT_APPLICABLE)
        self.assertEqual(conv.conversion_value(conv.MISSED, True), conv.NOT_APPLICABLE)

    def test_t8_percent(self):
        self.assertEqual(conv.percent(3, 7), 42.9)
        self.assertEqual(conv.percent(2, 3), 66.7)
        self.assertEqual(conv.percent(1, 4), 25.0)
        self.assertEqual(conv.percent(5, 0), 0.0)


@tagged("post_install", "-at_install")
class TestTagRules(BaseCase):
    def test_t9_off_by_default_never_asks(self):
        self.assertFalse(t.should_ask(False, t.MODE_ALWAYS, True, False, False))

    def test_t9_mode_only_without_booking(self):
        self.assertTrue(t.should_ask(True, t.MODE_NO_BOOKING, True, False, False))
        self.assertFalse(t.should_ask(True, t.MODE_NO_BOOKING, True, True, False))

    def test_t9_mode_always(self):
        self.assertTrue(t.should_ask(True, t.MODE_ALWAYS, True, True, False))
        self.assertTrue(t.should_ask(True, t.MODE_ALWAYS, True, False, False))

    def test_t9_unanswered_or_tagged_calls_are_not_asked(self):
        self.assertFalse(t.should_ask(True, t.MODE_ALWAYS, False, False, False))
        self.assertFalse(t.should_ask(True, t.MODE_ALWAYS, True, False, True))

    def test_t9_selection_needs_a_tag(self):
        with self.assertRaisesRegex(t.TagRuleError, "nothing_chosen"):
            t.check_selection([], None, False)
        with self.assertRaisesRegex(t.TagRuleError, "empty_other"):
            t.check_selection([1], "   ", False)
        self.assertIsNone(t.check_selection([1], None, False))
        self.assertEqual(t.check_selection([], "  parking ", False), "parking")

    def test_t9_saved_tags_are_final(self):
        with self.assertRaisesRegex(t.TagRuleError, "already_tagged"):
            t.check_selection([1], None, True)

    def test_t9_grouped_display(self):
        lines = [
            ("Why no booking", "Price", None),
            ("Service", "Dentist", None),
            ("Why no booking", "No slot", None),
            (None, "Other tag", "Asked about parking"),
        ]
        self.assertEqual(
            t.grouped_display(lines, "Other"),
            "Why no booking: Price, No slot; Service: Dentist; Other: Asked about parking",
        )

    def test_t9_never_saved_shows_dash(self):
        self.assertEqual(t.grouped_display([], "Other"), "—")
