"""X2: the timeline's keyset pages across sources, without the ORM."""

from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..tools import timeline

T0 = datetime(2026, 5, 4, 9, 0)


def entry(minutes, rank, record_id):
    return {"date": T0 + timedelta(minutes=minutes), "rank": rank, "id": record_id}


def matches(domain, item):
    """Evaluate an :func:`timeline.after_cursor` domain on a plain entry."""
    ops = {
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        "=": lambda a, b: a == b,
    }
    stack = []
    for token in reversed(domain):
        if token in ("|", "&"):
            first, second = stack.pop(), stack.pop()
            stack.append(first or second if token == "|" else first and second)
        else:
            field, op, value = token
            stack.append(ops[op](item["id"] if field == "id" else item["date"], value))
    return all(stack)


@tagged("post_install", "-at_install")
class TestTimelineTools(BaseCase):
    def test_x2_pages_cover_every_entry_once_in_order(self):
        sources = {
            10: [entry(m, 10, i) for i, m in enumerate((5, 3, 3, 1), start=1)],
            20: [entry(m, 20, i) for i, m in enumerate((4, 3, 3, 0), start=7)],
            30: [entry(3, 30, 2)],
        }
        expected = sorted((e for page in sources.values() for e in page), key=timeline.sort_key)
        for limit in (1, 2, 3, 4, 10):
            with self.subTest(limit=limit):
                shown, cursor = [], None
                for __ in range(20):
                    after = timeline.parse_cursor(cursor)
                    pages = [
                        [
                            e
                            for e in sorted(items, key=timeline.sort_key)
                            if matches(timeline.after_cursor("date", rank, after), e)
                        ][: limit + 1]
                        for rank, items in sources.items()
                    ]
                    page, cursor = timeline.merge(pages, limit)
                    shown += page
                    if cursor is None:
                        break
                self.assertEqual(shown, expected)

    def test_x2_newest_first_then_rank_then_id(self):
        entries = [entry(1, 20, 5), entry(1, 10, 3), entry(2, 30, 1), entry(1, 10, 4)]
        shown, cursor = timeline.merge([entries], 10)
        self.assertEqual(
            [(e["rank"], e["id"]) for e in shown], [(30, 1), (10, 4), (10, 3), (20, 5)]
        )
        self.assertIsNone(cursor)

    def test_x2_cursor_from_the_browser_is_checked(self):
        self.assertIsNone(timeline.parse_cursor(None))
        self.assertEqual(
            timeline.parse_cursor({"date": "2026-05-04 09:00:00", "rank": 10, "id": 3}),
            (T0, 10, 3),
        )
        for bad in (
            "x",
            {"date": "yesterday", "rank": 1, "id": 1},
            {"date": "2026-05-04 09:00:00", "rank": "1", "id": 1},
        ):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                timeline.parse_cursor(bad)
