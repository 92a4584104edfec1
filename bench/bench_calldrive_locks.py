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
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ensure_database, environment, fmt, summary, timed  # noqa: E402


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
        call_list._clinic_add_partners(patients)
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


def contention(registry, odoo, users, call_list):
    from psycopg2 import errors

    from odoo.addons.clinic_calldrive.exceptions import LineLockedError

    line_ids = call_list.line_ids.ids
    barrier = threading.Barrier(len(users))
    wins, retries, failures = Counter(), Counter(), []

    def operator(uid):
        order = random.Random(uid).sample(line_ids, len(line_ids))
        try:
            with registry.cursor() as cr:
                Line = odoo.api.Environment(cr, uid, {})["clinic.call.list.line"]
                barrier.wait()
                for line_id in order:
                    while True:
                        try:
                            Line.browse(line_id).action_start_call()
                            cr.commit()  # pylint: disable=invalid-commit
                            wins[line_id] += 1
                            break
                        except LineLockedError:
                            cr.rollback()
                            break
                        except (errors.LockNotAvailable, errors.SerializationFailure):
                            cr.rollback()
                            retries[uid] += 1
                            time.sleep(random.uniform(0.001, 0.01))
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(repr(exc))

    threads = [threading.Thread(target=operator, args=(uid,)) for uid in users.ids]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
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
        f"{elapsed:.1f} s ({tries / elapsed:.0f} claims/s), {sum(retries.values())} retried "
        f"conflicts; rows won twice: {sum(1 for n in wins.values() if n > 1)}, rows without "
        f"holder: {unheld}, rows without exactly one attempt: {wrong_attempts}, "
        f"errors: {len(failures)}"
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
        contention(registry, odoo, users[: args.operators], contention_list)
    if args.drop:
        import subprocess

        subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    main()
