"""X1: what the board shows of people and figures, without the ORM."""

from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..tools import board


@tagged("post_install", "-at_install")
class TestBoardTools(BaseCase):
    def test_x1_short_names_only(self):
        self.assertEqual(board.short_name("Anna Maria Schmidt"), "Anna S.")
        self.assertEqual(board.short_name("  Anna  "), "Anna")
        self.assertEqual(board.short_name(False), "")

    def test_x1_numbers_masked(self):
        self.assertEqual(board.masked_number("+49 30 1234567"), "••• 4567")
        self.assertEqual(board.masked_number(""), "")

    def test_x1_percent(self):
        self.assertEqual(board.percent(1, 3), 33)
        self.assertEqual(board.percent(0, 0), 0)

    def test_w9_wait_levels_at_one_and_two_thresholds(self):
        arrival = datetime(2026, 5, 4, 9, 0)
        self.assertEqual(
            board.wait_levels(arrival, 10),
            [datetime(2026, 5, 4, 9, 10), datetime(2026, 5, 4, 9, 20)],
        )
        self.assertEqual(board.wait_levels(arrival, 0), [])
        self.assertEqual(board.wait_levels(False, 10), [])

    def test_c6_reminder_summary(self):
        summary = board.reminder_summary(
            [("green", False, 4), ("red", True, 1), ("grey", True, 2), ("pink", False, 1)]
        )
        self.assertEqual(
            summary,
            {
                "colours": {"green": 4, "red": 1, "grey": 2, "pink": 1},
                "confirmed": 4,
                "cancelled": 1,
                "to_call": 3,
                "total": 8,
            },
        )
