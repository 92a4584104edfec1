"""Ingestion's own connections (P6): reused as they are, replaced when the server left.

Like test_concurrency, real transactions outside the test cursor.
"""

import time

from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

from .. import ingestion
from ..ingestion import ingestion_env


@tagged("post_install", "-at_install")
class TestIngestionPool(BaseCase):
    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())

    def backend(self):
        """Backend pid and marker setting of the connection ingestion lends now."""
        with ingestion_env(self.registry) as env:
            env.cr.execute(
                "SELECT pg_backend_pid(), current_setting('clinic.p6_marker', true),"
                " current_setting('transaction_isolation')"
            )
            return env.cr.fetchone()

    def test_p6_a_reused_connection_keeps_its_session(self):
        """No DISCARD ALL between events: what PostgreSQL cached for the connection
        (plans of the claim function, of foreign keys and triggers) is still there.
        A session setting stands for it here; Odoo's own pool would have reset it."""
        with ingestion_env(self.registry) as env:
            env.cr.execute("SET clinic.p6_marker = 'kept'")
            pid = env.cr.connection.info.backend_pid
        self.addCleanup(self._reset_marker)
        self.assertEqual(self.backend(), (pid, "kept", "read committed"))
        # the contrast: a connection lent by Odoo's pool comes back reset
        with self.registry.cursor() as cr:
            cr.execute("SET clinic.p6_marker = 'odoo'")
        with self.registry.cursor() as cr:
            cr.execute("SELECT current_setting('clinic.p6_marker', true)")
            self.assertIn(cr.fetchone()[0], (None, ""))

    def _reset_marker(self):
        with ingestion_env(self.registry) as env:
            env.cr.execute("RESET clinic.p6_marker")

    def test_p6_a_connection_the_server_ended_is_replaced(self):
        """A restarted server (here: the backend terminated) fails no event: the pool
        sees the connection ended and opens another."""
        with ingestion_env(self.registry) as env:
            old = env.cr.connection
        with self.registry.cursor() as cr:
            cr.execute("SELECT pg_terminate_backend(%s)", [old.info.backend_pid])
            self.assertTrue(cr.fetchone()[0])
        # the server's goodbye reaches the client socket
        time.sleep(0.2)
        with ingestion_env(self.registry) as env:
            self.assertIsNot(env.cr.connection, old)
            env.cr.execute("SELECT 1")
        self.assertTrue(old.closed)
        # and the next borrow forgets it
        self.backend()
        pool = ingestion._ingestion_pool()
        self.assertNotIn(old, [cnx for cnx, _used, _at in pool._connections])

    def test_p6_a_forked_worker_opens_its_own_connections(self):
        """Odoo's prefork workers are forked: a pool made by another process (its
        sockets shared with it) is never used."""
        parent = ingestion._ingestion_pool()
        ingestion._pool_pid = -1  # the pool as a child process finds it
        child = ingestion._ingestion_pool()
        self.assertIsNot(child, parent)
        self.assertIs(ingestion._ingestion_pool(), child)
        self.assertEqual(self.backend()[2], "read committed")
        parent.close_all()
