"""Shared plumbing of the benchmarks: a dedicated database and an Odoo environment.

Benchmarks print figures; they never assert timings (SPEC section P).
"""

import contextlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "odoo.conf"
sys.path.insert(0, str(ROOT / "tools"))
import clinic  # noqa: E402 - tools/clinic.py: the project's own setup


def odoo_setup(dbname):
    """Parse odoo.conf for ``dbname`` and return the ``odoo`` module."""
    import odoo

    odoo.tools.config.parse_config(
        ["-c", str(CONF), "-d", dbname, f"--db-filter=^{dbname}$", "--log-level=warn"]
    )
    return odoo


def ensure_database(dbname, modules):
    """Create ``dbname`` with ``modules`` (no demo data) unless it already has them;
    update them when the addons' source changed since the database was built."""
    clinic.install_or_update(dbname, addons=modules, demo=False)


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
