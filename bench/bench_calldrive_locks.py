"""C2/C4/R2: call-drive row locks — latency of one claim and throughput under contention.

    python3 bench/bench_calldrive_locks.py [--rows 1000] [--operators 20] [--db NAME] [--drop]

Fills (or reuses) the database ``clinic_bench_calldrive`` with clinic_calldrive, then:

* latency: one operator claims free rows one after the other (``action_start_call``:
  ``SELECT ... FOR UPDATE NOWAIT`` + conditional ``UPDATE`` + attempt row), each in its
  own committed transaction, and is refused on rows another operator holds;
* contention: ``--operators`` threads, each with its own cursor and user, fight for
  the same ``--rows`` rows in different orders, retrying lock conflicts as Odoo's RPC
  layer does; prints claims per second and checks that every row has exactly one
  holder and one attempt.

Figures only, no assertion on timings (SPEC section P).
"""

import argparse
import importlib.util
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, ensure_database, environment, fmt, summary, timed  # noqa: E402


def build(env, rows, operators):
    group = env.ref("clinic_base.group_clinic_operator")
    Users = env["res.users"].with_context(no_reset_password=True)
    users = Users.search([("login", "=like", "bench_cd_operator_%")])
    missing = operators - len(users)
    if missing > 0:
        users |= Users.create(
            [
                {
                    "name": f"Bench operator {n}",
                    "login": f"bench_cd_operator_{n}",
                    "groups_id": [(6, 0, [group.id])],
                }
                for n in range(len(users), operators)
            ]
        )
    patients = env["res.partner"].create(
        [
            {"name": f"Bench patient {n}", "is_patient": True, "phone": f"030 9{n:07d}"}
            for n in range(rows)
        ]
    )
    lists = []
    for name in ("latency", "contention"):
        call_list = env["clinic.call.list"].create({"name": f"Bench {name}", "kind": "adhoc"})
        call_list._add_partners(patients)
        lists.append(call_list)
    env.cr.commit()  # pylint: disable=invalid-commit
    return users[:operators], lists


def latency(registry, odoo, users, call_list):
    line_ids = call_list.line_ids.ids
    first, second = users[0].id, users[1].id
    claims, refusals = [], []
    with registry.cursor() as cr:
        me = odoo.api.Environment(cr, first, {})["clinic.call.list.line"]
        other = odoo.api.Environment(cr, second, {})["clinic.call.list.line"]
        for line_id in line_ids:
            ms, _dial = timed(me.browse(line_id).action_start_call)
            cr.commit()  # pylint: disable=invalid-commit
            claims.append(ms)
            start = time.perf_counter()
            try:
                other.browse(line_id).action_start_call()
            except odoo.exceptions.UserError:
                refusals.append((time.perf_counter() - start) * 1000.0)
            cr.rollback()
    print(f"claim a free row          {fmt(summary(claims))}")
    print(f"refused (held by another) {fmt(summary(refusals))}")


def contention(registry, users, call_list):
    # the R2 test's race, loaded without the test package (it imports Odoo's test framework)
    path = ROOT / "addons" / "clinic_calldrive" / "tests" / "race.py"
    spec = importlib.util.spec_from_file_location("clinic_calldrive_race", path)
    race_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(race_module)

    line_ids = call_list.line_ids.ids
    race = race_module.race_for_rows(registry, users.ids, line_ids, timeout=None)
    with registry.cursor() as cr:
        cr.execute(
            """SELECT count(*) FILTER (WHERE l.lock_user_id IS NULL),
                      count(*) FILTER (WHERE (SELECT count(*) FROM clinic_call_attempt a
                                               WHERE a.line_id = l.id) != 1)
                 FROM clinic_call_list_line l WHERE l.list_id = %s""",
            [call_list.id],
        )
        unheld, wrong_attempts = cr.fetchone()
    tries = len(users) * len(line_ids)
    print(
        f"contention: {len(users)} operators x {len(line_ids)} rows = {tries} claims in "
        f"{race.elapsed:.1f} s ({tries / race.elapsed:.0f} claims/s), {race.retries} retried "
        f"conflicts; rows won twice: {sum(1 for n in race.wins.values() if n > 1)}, rows "
        f"without holder: {unheld}, rows without exactly one attempt: {wrong_attempts}, "
        f"errors: {len(race.failures)}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--operators", type=int, default=20)
    parser.add_argument("--db", default="clinic_bench_calldrive")
    parser.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    ensure_database(args.db, ["clinic_calldrive"])
    with environment(args.db) as env:
        import odoo

        users, (latency_list, contention_list) = build(env, args.rows, max(args.operators, 2))
        registry = env.registry
        latency(registry, odoo, users, latency_list)
        contention(registry, users[: args.operators], contention_list)
    if args.drop:
        import subprocess

        subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    main()
