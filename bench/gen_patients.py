"""Fill a database with N patients, two numbers each, in batched SQL (P1).

    python3 bench/gen_patients.py --db clinic_bench_p1 --patients 1000000

Patients are marked with ref = 'bench' so that a second run only adds what is
missing. Numbers are German: a Berlin landline (030 ...) and a mobile
(0151 ...); their E.164 forms are written by SQL and spot-checked against the
Python normaliser afterwards, so the index holds exactly what the ORM would
have stored.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ensure_database, environment  # noqa: E402

BATCH = 100_000
# Landline 030 2xxxxxxx and mobile 0151 2xxxxxxx: 8-digit subscriber parts.
BASE = 20_000_000


def bench_count(cr):
    cr.execute("SELECT count(*) FROM res_partner WHERE ref = 'bench'")
    return cr.fetchone()[0]


def insert_batch(cr, first, last):
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, ref, is_patient, active, type, lang,
                                 phone, mobile, birthdate,
                                 create_uid, write_uid, create_date, write_date)
        SELECT 'Bench Patient ' || g, 'Bench Patient ' || g, 'bench', true, true, 'contact',
               'en_US', '030 ' || (%(base)s + g), '0151 ' || (%(base)s + g),
               date '1940-01-01' + (g %% 25000), 1, 1, now(), now()
          FROM generate_series(%(first)s, %(last)s) g
        RETURNING id
        """,
        {"base": BASE, "first": first, "last": last},
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO clinic_partner_phone (partner_id, sequence, source, number, number_e164,
                                          create_uid, write_uid, create_date, write_date)
        SELECT p.id, s.seq, s.source,
               CASE s.source WHEN 'phone' THEN p.phone ELSE p.mobile END,
               CASE s.source WHEN 'phone' THEN '+4930' || substr(p.phone, 5)
                             ELSE '+49151' || substr(p.mobile, 6) END,
               1, 1, now(), now()
          FROM res_partner p
         CROSS JOIN (VALUES (1, 'phone'), (2, 'mobile')) AS s(seq, source)
         WHERE p.id = ANY(%s)
        """,
        [ids],
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])


def generate(env, total):
    from odoo.addons.clinic_base.tools.phone import to_e164

    cr = env.cr
    env.company.country_id = env.ref("base.de")
    env.flush_all()
    have = bench_count(cr)
    start = time.perf_counter()
    while have < total:
        last = min(total, have + BATCH)
        insert_batch(cr, have + 1, last)
        cr.commit()
        have = last
        rate = have / max(time.perf_counter() - start, 1e-9)
        print(f"[gen] {have:>9,} patients ({rate:,.0f}/s)", flush=True)
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE clinic_partner_phone")
    cr.commit()
    # Spot check: the SQL-built E.164 forms equal the Python normaliser's.
    cr.execute(
        "SELECT number, number_e164 FROM clinic_partner_phone TABLESAMPLE SYSTEM (1) LIMIT 200"
    )
    for number, e164 in cr.fetchall():
        if to_e164(number, "DE") != e164:
            raise SystemExit(f"generator bug: {number!r} stored as {e164!r}")
    return time.perf_counter() - start


def sample_numbers(cr, count, seed=7):
    """``count`` stored numbers in the forms a PBX would present (national digits)."""
    cr.execute("SELECT min(id), max(id) FROM res_partner WHERE ref = 'bench'")
    low, high = cr.fetchone()
    rng = random.Random(seed)
    ids = [rng.randint(low, high) for _ in range(count)]
    cr.execute("SELECT phone, mobile FROM res_partner WHERE id = ANY(%s) AND ref = 'bench'", [ids])
    numbers = []
    for i, (phone, mobile) in enumerate(cr.fetchall()):
        numbers.append((phone if i % 2 else mobile).replace(" ", ""))
    return numbers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="clinic_bench_p1")
    parser.add_argument("--patients", type=int, default=1_000_000)
    args = parser.parse_args()
    ensure_database(args.db, ["clinic_base"])
    with environment(args.db) as env:
        seconds = generate(env, args.patients)
        print(f"[gen] {bench_count(env.cr):,} bench patients in {args.db} ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
