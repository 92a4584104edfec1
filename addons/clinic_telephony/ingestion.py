"""The database side of PBX event ingestion: its transactions and connections (T2, P6).

Every event runs in a READ COMMITTED transaction of its own, on a connection
from a pool that keeps PostgreSQL's cached plans.

Why not Odoo's pool: it resets each connection it lends again (psycopg2's
``reset()`` sends ``DISCARD ALL``), and that drops every plan PostgreSQL cached
for the connection. An event then plans again the statements of
``clinic_call_claim``, the foreign-key checks of its inserts and the report
triggers of other addons: measured on the P6 bench, 1.15 of the 2.25 ms
PostgreSQL spent per event. Ingestion sets no session state (no SET, LISTEN,
temporary table, session lock or prepared statement) and Odoo's cursor rolls
back before it gives a connection back, so a reused connection needs no reset.
"""

import os
import select
import threading
from contextlib import contextmanager

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import SUPERUSER_ID, api, sql_db, tools


class PlanKeepingPool(sql_db.ConnectionPool):
    """Odoo's connection pool, without the reset of a connection it lends again."""

    def borrow(self, connection_info):
        with self._lock:
            # A connection seen broken (psycopg2 marks it closed) leaves the pool.
            self._connections[:] = [entry for entry in self._connections if not entry[0].closed]
            for entry in self._connections:
                cnx, used, _last_used = entry
                if used or not self._dsn_equals(cnx.dsn, connection_info):
                    continue
                if _server_hung_up(cnx):
                    cnx.close()
                    continue
                entry[1] = True
                return cnx
        # None to reuse: Odoo's pool opens one (and enforces the maximum).
        return super().borrow(connection_info)


def _server_hung_up(cnx):
    """Whether the server ended an idle connection (restart, terminated backend).

    An idle connection of ingestion receives nothing (no LISTEN): anything to
    read is the server's goodbye or the end of the stream. A system call, no
    round trip, so that a restarted PostgreSQL fails no event (a false alarm only
    costs a new connection).
    """
    poller = select.poll()
    poller.register(cnx.fileno(), select.POLLIN)
    return bool(poller.poll(0))


_pool = None
_pool_pid = None
_pool_lock = threading.Lock()


def _ingestion_pool():
    """The process's pool; a forked worker never uses its parent's connections."""
    global _pool, _pool_pid  # noqa: PLW0603 - one pool per process, like Odoo's own
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = PlanKeepingPool(int(tools.config["db_maxconn"]))
            _pool_pid = os.getpid()
        return _pool


@contextmanager
def ingestion_env(registry):
    """Superuser environment on a READ COMMITTED transaction, committed on exit.

    Under Odoo's default REPEATABLE READ, two workers receiving events of one
    call at once make one of them fail with a serialization error, which Odoo
    retries after sleeping up to seconds. At READ COMMITTED the second worker
    just waits for the first one's row locks (event id, call) and then sees its
    committed events, so folding stays correct without retries.

    In tests the cursor is the test's own (inside its transaction).
    """
    if registry.in_test_mode():
        with registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})
        return
    dbname, info = sql_db.connection_info_for(registry.db_name)
    with sql_db.Cursor(_ingestion_pool(), dbname, info) as cr:
        cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
        # the registry at hand: the environment would look it up again by name
        cr.transaction = api.Transaction(registry)
        yield api.Environment(cr, SUPERUSER_ID, {})
