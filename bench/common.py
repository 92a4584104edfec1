"""Shared plumbing of the benchmarks: a dedicated database and an Odoo environment.

Benchmarks print figures; they never assert timings (SPEC section P).
"""

import contextlib
import hashlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "odoo.conf"


def odoo_setup(dbname):
    """Parse odoo.conf for ``dbname`` and return the ``odoo`` module."""
    import odoo

    odoo.tools.config.parse_config(
        ["-c", str(CONF), "-d", dbname, f"--db-filter=^{dbname}$", "--log-level=warn"]
    )
    return odoo


DIGEST_KEY = "clinic_bench.addons_digest"


def addons_digest():
    """Fingerprint of the clinic addons' source: a bench database built from other
    code gets its modules updated before it is measured."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "addons").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _query(dbname, sql, params=()):
    import psycopg2

    conn = psycopg2.connect(dbname=dbname)
    try:
        with conn, conn.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall() if cr.description else None
    finally:
        conn.close()


def _odoo(dbname, *args):
    subprocess.run(
        [sys.executable, "-m", "odoo", "-c", str(CONF), "-d", dbname,
         f"--db-filter=^{dbname}$", *args, "--without-demo=all", "--stop-after-init",
         "--log-level=warn"],
        check=True,
        cwd=ROOT,
    )  # fmt: skip


def ensure_database(dbname, modules):
    """Create ``dbname`` with ``modules`` (no demo data) unless it already has them;
    update them when the addons' source changed since the database was built."""
    exists = _query("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
    installed = set()
    if exists:
        rows = _query(
            dbname,
            "SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
            [list(modules)],
        )
        installed = {row[0] for row in rows}
    missing = set(modules) - installed
    if missing:
        print(f"[bench] installing {', '.join(sorted(missing))} into {dbname} ...", flush=True)
        _odoo(dbname, "-i", ",".join(sorted(missing)))
    digest = addons_digest()
    stored = _query(dbname, "SELECT value FROM ir_config_parameter WHERE key = %s", [DIGEST_KEY])
    if installed and (not stored or stored[0][0] != digest):
        print(f"[bench] addons changed: updating {', '.join(sorted(installed))} ...", flush=True)
        _odoo(dbname, "-u", ",".join(sorted(installed)))
    _query(
        dbname,
        "INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)"
        " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [DIGEST_KEY, digest],
    )


@contextlib.contextmanager
def environment(dbname):
    odoo = odoo_setup(dbname)
    from odoo.modules.registry import Registry

    registry = Registry(dbname)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return (time.perf_counter() - start) * 1000.0, result


def summary(samples_ms):
    ordered = sorted(samples_ms)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))],
        "p99": p99,
        "max": ordered[-1],
    }


def fmt(stats):
    return (
        f"n={stats['n']:<5} median={stats['median']:9.3f} ms  p95={stats['p95']:9.3f} ms  "
        f"p99={stats['p99']:9.3f} ms  max={stats['max']:9.3f} ms"
    )
