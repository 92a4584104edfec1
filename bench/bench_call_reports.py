"""P3: call history first page and administrator effectiveness report on 1M calls.

    python3 bench/bench_call_reports.py [--calls 1000000] [--runs 7] [--drop]

Fills (or reuses) the database ``clinic_bench_p3`` with clinic_telephony_analytics,
generates the calls in one ``INSERT ... SELECT generate_series`` (two years, 20
bound administrators; 60 % answered incoming, 10 % missed, 20 % answered
outgoing, 10 % outgoing unanswered; a third of the answered calls booked; tags
on every tenth call), then times what the web client asks, as a "Call history"
user so that access rules apply:

* history first page: ``web_search_read`` with the list view's fields, newest
  first, 80 rows and the web client's count limit;
* effectiveness report for the current month and the last twelve months:
  the pivot's two ``read_group`` calls (total row and one row per administrator),
  answered from the daily table that triggers keep live; the year's figures are
  checked against a direct count over ``clinic_call`` (not timed).

Prints median and max over ``--runs`` warm runs; SPEC P3 targets are <= 300 ms
for the page and <= 1 s for the report. ``--drop`` drops the database afterwards.
"""

import argparse
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ensure_database, environment, fmt, summary, timed  # noqa: E402

ADMINS = 20
SPAN_DAYS = 730
HISTORY_SPEC = {
    "start_date": {},
    "talk_duration": {},
    "call_type": {},
    "number_display": {},
    "partner_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "phone_id": {"fields": {"display_name": {}}},
    "state": {},
    "has_recording": {},
    "conversion": {},
    "tags_display": {},
}


def setup_fixtures(env):
    """PBX, administrators, a tag group and the "Call history" reader."""
    Users = env["res.users"].with_context(no_reset_password=True)
    pbx = env["clinic.pbx"].search([("code", "=", "bench")]) or env["clinic.pbx"].create(
        {"name": "Bench PBX", "code": "bench", "kind": "simulator"}
    )
    operator = env.ref("clinic_base.group_clinic_operator")
    admins = Users.search([("login", "=like", "bench_admin_%")], order="id")
    for i in range(len(admins), ADMINS):
        admins |= Users.create(
            {
                "name": f"Bench administrator {i:02d}",
                "login": f"bench_admin_{i:02d}",
                "groups_id": [(6, 0, operator.ids)],
                "clinic_telephony_allowed": True,
            }
        )
    reader = Users.search([("login", "=", "bench_history")]) or Users.create(
        {
            "name": "Bench supervisor",
            "login": "bench_history",
            "groups_id": [(6, 0, env.ref("clinic_telephony.group_call_history").ids)],
        }
    )
    group = env["clinic.call.tag.group"].search([("name", "=", "Why no booking")])
    if not group:
        group = env["clinic.call.tag.group"].create(
            {
                "name": "Why no booking",
                "tag_ids": [
                    (0, 0, {"name": "Price"}),
                    (0, 0, {"name": "No free slot"}),
                ],
            }
        )
    return pbx, admins, reader, group.tag_ids[0]


def generate(env, calls):
    pbx, admins, reader, tag = setup_fixtures(env)
    env.cr.execute("SELECT count(*) FROM clinic_call WHERE pbx_id = %s", [pbx.id])
    existing = env.cr.fetchone()[0]
    if existing >= calls:
        return reader, existing
    print(f"[bench] generating {calls - existing:,} calls ...", flush=True)
    step = SPAN_DAYS * 86400.0 / calls
    # A bulk load, as a data import would run it: the report tables' row triggers are
    # off for the one statement (their lookups would be planned for an empty table) and
    # the tables are rebuilt from the calls once the statistics are there.
    env.cr.execute("ALTER TABLE clinic_call DISABLE TRIGGER USER")
    env.cr.execute(
        """
        WITH g AS (
            SELECT n,
                   n %% 10 AS kind,
                   (now() at time zone 'UTC') - make_interval(secs => n * %(step)s) AS start
              FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS n
        )
        INSERT INTO clinic_call
               (pbx_id, company_id, pbx_call_id, direction, state, call_type, number_e164,
                hidden_number, has_recording, recording_state, user_id, start_date, answer_date,
                end_date, talk_duration, has_booking, conversion,
                create_uid, write_uid, create_date, write_date)
        SELECT %(pbx)s, %(company)s, 'bench-' || n,
               CASE WHEN kind <= 6 THEN 'inbound' ELSE 'outbound' END,
               'ended',
               CASE WHEN kind <= 5 THEN 'incoming' WHEN kind = 6 THEN 'missed'
                    WHEN kind <= 8 THEN 'outgoing' ELSE 'outgoing_unanswered' END,
               '+4930' || lpad((n %% 10000000)::text, 7, '0'),
               false, false, 'none',
               (%(admins)s::int[])[1 + ((n / 10) %% %(nadmins)s)::int],
               start,
               CASE WHEN kind NOT IN (6, 9) THEN start + interval '5 seconds' END,
               start + interval '5 seconds' + make_interval(secs => 30 + n * 7919 %% 600),
               CASE WHEN kind NOT IN (6, 9) THEN 30 + n * 7919 %% 600 ELSE 0 END,
               kind NOT IN (6, 9) AND (n / 10) %% 3 = 0,
               CASE WHEN kind = 6 THEN 'none'
                    WHEN kind <> 9 AND (n / 10) %% 3 = 0 THEN 'yes' ELSE 'no' END,
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM g
        """,
        {
            "step": step,
            "first": existing + 1,
            "last": calls,
            "pbx": pbx.id,
            "company": pbx.company_id.id,
            "admins": admins.ids,
            "nadmins": len(admins),
        },
    )
    # Every tenth answered call got tags through the popup.
    env.cr.execute(
        """
        INSERT INTO clinic_call_tag_line
               (call_id, tag_id, group_id, tag_name, group_name, is_other, call_date,
                user_id, call_type, create_uid, write_uid, create_date, write_date)
        SELECT c.id, %(tag)s, %(group)s, %(tag_name)s, %(group_name)s, false, c.start_date,
               c.user_id, c.call_type, 1, 1, c.create_date, c.create_date
          FROM clinic_call c
         WHERE c.pbx_id = %(pbx)s AND c.id %% 10 = 0 AND c.conversion = 'no'
        """,
        {
            "tag": tag.id,
            "group": tag.group_id.id,
            "tag_name": tag.name,
            "group_name": tag.group_id.name,
            "pbx": pbx.id,
        },
    )
    env.cr.execute("ALTER TABLE clinic_call ENABLE TRIGGER USER")
    env.cr.commit()  # a benchmark script, not business code: keep the data set
    vacuum_analyze(env.cr.dbname, ["clinic_call", "clinic_call_tag_line"])
    print("[bench] rebuilding the report tables ...", flush=True)
    env.cr.execute("SELECT clinic_call_report_day_rebuild(NULL)")
    env.cr.commit()
    vacuum_analyze(env.cr.dbname, ["clinic_call_report_day", "clinic_call_report_callback"])
    return reader, calls


def vacuum_analyze(dbname, tables):
    """What autovacuum does after a bulk load: statistics and the visibility map."""
    import psycopg2

    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            for table in tables:
                cr.execute(f"VACUUM ANALYZE {table}")
    finally:
        conn.close()


def history_page(env):
    return env["clinic.call"].web_search_read(
        [], HISTORY_SPEC, limit=80, order="start_date desc, id desc", count_limit=10001
    )


def report(env, start, end):
    # every measure of the report's pivot
    from odoo.addons.clinic_telephony_analytics.models import clinic_call_effectiveness_report as r

    measures = [f"{m}:sum" for m in r.SUM_MEASURES]
    measures += [f"{m}:avg" for m in (*r.RATIOS, *r.MEDIANS)]
    Report = env["clinic.call.effectiveness.report"]
    domain = [("date", ">=", start), ("date", "<=", end)]
    total = Report.read_group(domain, measures, [], lazy=False)
    rows = Report.read_group(domain, measures, ["user_id"], lazy=False)
    return total, rows


def direct_counts(env, start, end):
    """The year's totals straight from the calls (bench administrators are in UTC)."""
    env.cr.execute(
        """SELECT count(*), count(*) FILTER (WHERE has_booking),
                  count(*) FILTER (WHERE call_type = 'missed'), COALESCE(sum(talk_duration), 0)
             FROM clinic_call
            WHERE user_id IS NOT NULL AND state IN ('ended', 'failed')
              AND start_date >= %s AND start_date < %s""",
        [start, end + timedelta(days=1)],
    )
    return env.cr.fetchone()


def write_cost(env, rows, triggers):
    """ms per finished call for an UPDATE of ``rows`` calls' talk time and booking,
    with or without the daily table's triggers; rolled back."""
    if not triggers:
        env.cr.execute("ALTER TABLE clinic_call DISABLE TRIGGER USER")
    ms, _result = timed(
        env.cr.execute,
        """UPDATE clinic_call SET talk_duration = talk_duration + 1,
                                  has_booking = NOT has_booking
            WHERE id IN (SELECT id FROM clinic_call WHERE user_id IS NOT NULL
                          ORDER BY id DESC LIMIT %s)""",
        [rows],
    )
    env.cr.rollback()
    return ms / rows


def measure(env, runs, func, *args):
    func(*args)  # warm caches of a running server
    samples = []
    for _i in range(runs):
        env.invalidate_all()
        ms, result = timed(func, *args)
        samples.append(ms)
    return summary(samples), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="clinic_bench_p3")
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    args = parser.parse_args()

    ensure_database(args.db, ["clinic_telephony_analytics"])
    with environment(args.db) as env:
        reader, count = generate(env, args.calls)
        user_env = env(user=reader.id)
        today = datetime.utcnow().date()
        year_start = today - timedelta(days=364)
        page, result = measure(user_env, args.runs, history_page, user_env)
        month, (month_total, _rows) = measure(
            user_env, args.runs, report, user_env, today.replace(day=1), today
        )
        year, (year_total, year_rows) = measure(
            user_env, args.runs, report, user_env, year_start, today
        )
        direct = direct_counts(env, year_start, today)
        env.cr.rollback()
        write_with = write_cost(env, 5000, triggers=True)
        write_without = write_cost(env, 5000, triggers=False)
    figures = (
        year_total[0]["call_count"],
        year_total[0]["booked_count"],
        year_total[0]["missed_count"],
        round(year_total[0]["talk_time"] * 3600),
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print()
    print(f"P3 call reports, {count:,} calls (load average {load} on {os.cpu_count()} cores)")
    print(f"  history first page ({len(result['records'])} rows, count {result['length']:,})")
    print(f"      {fmt(page)}   target <= 300 ms")
    print(f"  report, current month ({month_total[0]['call_count']:,} calls)")
    print(f"      {fmt(month)}   target <= 1000 ms")
    print(
        f"  report, last 12 months ({year_total[0]['call_count']:,} calls, "
        f"{len(year_rows)} administrators)"
    )
    print(f"      {fmt(year)}   target <= 1000 ms")
    print(
        f"  cost of keeping the daily table live: {write_with:.3f} ms per finished-call "
        f"update (booking and talk time) vs {write_without:.3f} ms without the triggers"
    )
    print(
        f"  year figures equal to a direct count over clinic_call: "
        f"{'yes' if figures == tuple(direct) else f'NO {figures} != {direct}'}"
    )
    if args.drop:
        import psycopg2

        from odoo.sql_db import close_db

        close_db(args.db)

        conn = psycopg2.connect(dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{args.db}"')
        conn.close()
        print(f"[bench] dropped {args.db}")


if __name__ == "__main__":
    main()
