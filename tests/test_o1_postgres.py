"""O1: no SQL that needs a PostgreSQL newer than 13 (Odoo 18 itself runs on 12+).

Debian 12 ships PostgreSQL 15 only, so the suite runs on 15; this check keeps
the constructs of PostgreSQL 14-18 out of every addon, tool and benchmark (a
line that only runs on a newer server says so with ``pg13-ok: <why>``). The
list follows the release notes' "new features" of each version:
https://www.postgresql.org/docs/release/
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("addons", "tools", "bench", "tests")

NEWER_ONLY = {
    r"\bNULLS\s+NOT\s+DISTINCT\b": "UNIQUE NULLS NOT DISTINCT (15)",
    r"\bMERGE\s+INTO\b": "MERGE (15)",
    r"\bCREATE\s+OR\s+REPLACE\s+TRIGGER\b": "CREATE OR REPLACE TRIGGER (14)",
    r"\bSEARCH\s+(DEPTH|BREADTH)\s+FIRST\s+BY\b": "recursive CTE SEARCH clause (14)",
    r"\bCYCLE\s+\w+\s+SET\b": "recursive CTE CYCLE clause (14)",
    r"\b(range_agg|range_intersect_agg|multirange)\s*\(": "multiranges (14)",
    r"\b(string_to_table|trim_array|date_bin|bit_count|unistr)\s*\(": "functions of 14",
    r"\bregexp_(count|instr|like|substr)\s*\(": "regexp_count & co (15)",
    r"\bsecurity_invoker\b": "security_invoker views (15)",
    r"\bany_value\s*\(": "any_value() (16)",
    r"\b(random_normal|pg_input_is_valid|pg_input_error_info)\s*\(": "functions of 16",
    r"\bJSON_(TABLE|EXISTS|QUERY|VALUE|ARRAYAGG|OBJECTAGG|SERIALIZE|SCALAR)\s*\(": "SQL/JSON",
    # upper case only: "is not JSON" is English in messages
    r"(?-i:\bIS\s+(NOT\s+)?JSON\b)": "IS JSON (16)",
    r"\bSYSTEM_USER\b": "SYSTEM_USER (16)",
    r"\bRETURNING\s+(OLD|NEW)\.": "RETURNING OLD/NEW (18)",
    r"\bON\s+DELETE\s+SET\s+(NULL|DEFAULT)\s*\(": "ON DELETE SET NULL (columns) (15)",
}


def offending_lines():
    found = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix not in (".py", ".sql", ".xml") or path.name == Path(__file__).name:
                continue
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                for pattern, what in NEWER_ONLY.items():
                    # "pg13-ok: why" marks a use that only runs on newer servers
                    if re.search(pattern, line, re.IGNORECASE) and "pg13-ok" not in line:
                        found.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()}")
    return found


def test_o1_no_sql_newer_than_postgresql_13():
    assert offending_lines() == []


def test_o1_check_catches_postgresql_15_syntax(tmp_path, monkeypatch):
    """The scan above finds what 18.0.1.0.0 of the analytics addon shipped."""
    sample = tmp_path / "addons" / "x" / "models" / "x.py"
    sample.parent.mkdir(parents=True)
    sample.write_text('SQL = "UNIQUE NULLS NOT DISTINCT (day, user_id)"\n')
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    for top in SCANNED[1:]:
        (tmp_path / top).mkdir()
    assert [line.split(":")[0] for line in offending_lines()] == ["addons/x/models/x.py"]
