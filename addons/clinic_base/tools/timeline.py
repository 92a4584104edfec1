"""The patient's communication timeline (SPEC X2): one chronological list merged
from several sources, paged with a keyset so that no entry is shown twice or
skipped while entries are added.

Entries are ordered newest first, then by their source's rank, then by id
(newest first): ``(date desc, rank asc, id desc)``. A page ends at a cursor
``{"date", "rank", "id"}`` (its last entry); each source fetches at most one
page of its own entries after the cursor with one query (:func:`after_cursor`)
and :func:`merge` keeps the first ``limit`` of them all.
"""

from datetime import datetime


def parse_cursor(cursor):
    """``(date, rank, id)`` of a cursor sent back by the browser, or None.

    Raises ``ValueError`` on anything else: a cursor is ours, never edited.
    """
    if not cursor:
        return None
    if not isinstance(cursor, dict):
        raise ValueError("cursor")
    date = datetime.strptime(str(cursor.get("date")), "%Y-%m-%d %H:%M:%S")
    rank, record_id = cursor.get("rank"), cursor.get("id")
    if not isinstance(rank, int) or not isinstance(record_id, int):
        raise ValueError("cursor")
    return date, rank, record_id


def order(date_field):
    """The order a source returns its entries in: the one ``after_cursor`` and
    ``merge`` count on (newest first, then the newest record)."""
    return f"{date_field} desc, id desc"


def after_cursor(date_field, rank, cursor):
    """Domain of a source's entries that come after ``cursor`` in the timeline's
    order (everything without a cursor)."""
    if cursor is None:
        return []
    date, cursor_rank, record_id = cursor
    if rank > cursor_rank:  # on the cursor's date this source comes after it
        return [(date_field, "<=", date)]
    if rank < cursor_rank:
        return [(date_field, "<", date)]
    return [
        "|",
        (date_field, "<", date),
        "&",
        (date_field, "=", date),
        ("id", "<", record_id),
    ]


def sort_key(entry):
    return (-entry["date"].timestamp(), entry["rank"], -entry["id"])


def merge(pages, limit):
    """``(entries, next cursor or None)``: the first ``limit`` entries of the
    sources' pages in the timeline's order; each page holds at most ``limit``
    entries after the same cursor, so nothing before the next cursor is missing."""
    entries = sorted((entry for page in pages for entry in page), key=sort_key)
    shown = entries[:limit]
    cursor = None
    if len(entries) > limit:
        last = shown[-1]
        cursor = {
            "date": last["date"].strftime("%Y-%m-%d %H:%M:%S"),
            "rank": last["rank"],
            "id": last["id"],
        }
    return shown, cursor
