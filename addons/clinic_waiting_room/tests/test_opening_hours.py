from datetime import datetime
from unittest import TestCase

from ..tools import opening_hours as oh

# Monday to Friday 08:00-12:00 and 13:00-18:30, Saturday 09:00-12:00
HOURS = [(day, 8.0, 12.0) for day in range(5)] + [(day, 13.0, 18.5) for day in range(5)]
HOURS.append((5, 9.0, 12.0))


class TestOpeningHours(TestCase):
    def test_w13_open_inside_the_periods_only(self):
        monday = datetime(2026, 3, 2)
        self.assertTrue(oh.is_open(HOURS, monday.replace(hour=8)))
        self.assertTrue(oh.is_open(HOURS, monday.replace(hour=18, minute=29)))
        self.assertFalse(oh.is_open(HOURS, monday.replace(hour=12, minute=30)))
        self.assertFalse(oh.is_open(HOURS, monday.replace(hour=18, minute=30)))
        self.assertFalse(oh.is_open(HOURS, monday.replace(hour=7, minute=59)))
        self.assertFalse(oh.is_open(HOURS, datetime(2026, 3, 8, 10)))  # Sunday

    def test_w13_no_hours_means_always_open(self):
        self.assertTrue(oh.is_open([], datetime(2026, 3, 8, 3)))
        self.assertIsNone(oh.next_opening([], datetime(2026, 3, 8, 3)))

    def test_w13_next_opening(self):
        self.assertEqual(
            oh.next_opening(HOURS, datetime(2026, 3, 2, 12, 30)), datetime(2026, 3, 2, 13, 0)
        )
        self.assertEqual(
            oh.next_opening(HOURS, datetime(2026, 3, 2, 20, 0)), datetime(2026, 3, 3, 8, 0)
        )
        # Saturday afternoon: next Monday
        self.assertEqual(
            oh.next_opening(HOURS, datetime(2026, 3, 7, 12, 0)), datetime(2026, 3, 9, 8, 0)
        )
        # only on one weekday: a week later
        self.assertEqual(
            oh.next_opening([(0, 8.0, 9.0)], datetime(2026, 3, 2, 8, 30)),
            datetime(2026, 3, 9, 8, 0),
        )

    def test_w13_local_time_with_daylight_saving(self):
        # 29 March 2026: Berlin moves from UTC+1 to UTC+2
        self.assertEqual(
            oh.to_local(datetime(2026, 3, 28, 7, 0), "Europe/Berlin"), datetime(2026, 3, 28, 8, 0)
        )
        self.assertEqual(
            oh.to_local(datetime(2026, 3, 30, 6, 0), "Europe/Berlin"), datetime(2026, 3, 30, 8, 0)
        )
        self.assertEqual(
            oh.to_utc(datetime(2026, 3, 30, 8, 0), "Europe/Berlin"), datetime(2026, 3, 30, 6, 0)
        )
