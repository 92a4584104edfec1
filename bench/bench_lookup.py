"""P1: caller identification on N patients, ours against OCA base_phone, in one run.

    python3 bench/bench_lookup.py [--patients 1000000] [--samples 1000] [--base-phone-samples 60]

Fills (or reuses) the database ``clinic_bench_p1`` with clinic_base and base_phone
(odoo-addon-base-phone from PyPI), then times, as the PBX integration would call
them with a fresh cache each time:

* ours: ``res.partner._clinic_search_by_number(raw)`` - normalise to E.164, one
  indexed equality on clinic_partner_phone;
* base_phone: ``phone.common.get_record_from_phone_number(digits)`` - a suffix
  ``ILIKE '%<last 8 digits>'`` over res_partner.phone/mobile.

Both look up the same stored numbers (plus unknown ones for ours). Prints median,
p95, p99 and the ratio; the SPEC targets are median <= 2 ms, p99 <= 10 ms and at
least 50x faster than base_phone.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ensure_database, environment, fmt, summary, timed  # noqa: E402
from gen_patients import generate, sample_numbers  # noqa: E402


def ensure_base_phone():
    try:
        import odoo.addons.base_phone  # noqa: F401
    except ImportError:
        print("[bench] installing odoo-addon-base-phone (OCA, AGPL-3) from PyPI", flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "odoo-addon-base-phone>=18.0,<18.1"],
            check=True,
        )


def run(env, samples, base_phone_samples):
    Partner = env["res.partner"]
    numbers = sample_numbers(env.cr, samples)
    unknown = [f"030{90000000 + i}" for i in range(max(1, samples // 10))]

    # Steady state of a running server: code paths warm, the number index in memory
    # (an index-only scan reads it once). The table scans of base_phone get the same.
    Partner._clinic_search_by_number(numbers[0])
    env["phone.common"].get_record_from_phone_number(numbers[0])
    env.cr.execute("SELECT count(*) FROM clinic_partner_phone WHERE number_e164 > ''")
    env.cr.execute("SELECT count(*) FROM res_partner WHERE phone IS NOT NULL")

    ours, misses = [], 0
    for raw in numbers + unknown:
        env.invalidate_all()
        ms, found = timed(Partner._clinic_search_by_number, raw)
        ours.append(ms)
        if raw in numbers and not found:
            misses += 1
    theirs, their_misses = [], 0
    for raw in numbers[:base_phone_samples]:
        env.invalidate_all()
        ms, found = timed(env["phone.common"].get_record_from_phone_number, raw)
        theirs.append(ms)
        their_misses += not found
    return summary(ours), misses, summary(theirs), their_misses


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="clinic_bench_p1")
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--base-phone-samples", type=int, default=60)
    args = parser.parse_args()

    ensure_base_phone()
    ensure_database(args.db, ["clinic_base", "base_phone"])
    with environment(args.db) as env:
        generate(env, args.patients)
        env.cr.execute("SELECT count(*) FROM clinic_partner_phone")
        rows = env.cr.fetchone()[0]
        ours, misses, theirs, their_misses = run(env, args.samples, args.base_phone_samples)
    print()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"P1 caller lookup, {args.patients:,} patients, {rows:,} stored numbers "
        f"(load average {load} on {os.cpu_count()} cores)"
    )
    print(f"  ours        {fmt(ours)}  (not found: {misses})")
    print(f"  base_phone  {fmt(theirs)}  (not found: {their_misses})")
    ratio = theirs["median"] / ours["median"]
    print(f"  speed-up (median): {ratio:,.0f}x   targets: median <= 2 ms, p99 <= 10 ms, >= 50x")


if __name__ == "__main__":
    main()
