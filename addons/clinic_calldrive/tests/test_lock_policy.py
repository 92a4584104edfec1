from datetime import datetime, timedelta
from unittest import TestCase

from ..tools import lock_policy as lp

NOW = datetime(2026, 3, 2, 10, 0)


class TestLockPolicy(TestCase):
    def test_c4_free_mine_held(self):
        self.assertEqual(lp.lock_verdict(None, None, 7, NOW, 15, False), lp.FREE)
        self.assertEqual(lp.lock_verdict(7, NOW, 7, NOW, 15, True), lp.MINE)
        self.assertEqual(lp.lock_verdict(8, NOW - timedelta(minutes=14), 7, NOW, 15, True), lp.HELD)

    def test_c4_stale_after_limit(self):
        old = NOW - timedelta(minutes=16)
        self.assertEqual(lp.lock_verdict(8, old, 7, NOW, 15, True), lp.STALE_ACTIVE)
        self.assertEqual(lp.lock_verdict(8, old, 7, NOW, 15, False), lp.STALE_INACTIVE)
        # The holder's own old lock stays theirs: they abort or finish it.
        self.assertEqual(lp.lock_verdict(7, old, 7, NOW, 15, False), lp.MINE)
        # The limit is a setting.
        self.assertEqual(lp.lock_verdict(8, old, 7, NOW, 30, True), lp.HELD)

    def test_c4_is_stale_boundary(self):
        self.assertFalse(lp.is_stale(NOW - timedelta(minutes=15), NOW, 15))
        self.assertTrue(lp.is_stale(NOW - timedelta(minutes=15, seconds=1), NOW, 15))
        self.assertFalse(lp.is_stale(None, NOW, 15))

    def test_c4_holder_presence(self):
        recent = NOW - timedelta(seconds=30)
        self.assertTrue(lp.holder_is_active("online", recent, NOW, 65))
        self.assertTrue(lp.holder_is_active("away", recent, NOW, 65))
        self.assertFalse(lp.holder_is_active("offline", recent, NOW, 65))
        self.assertFalse(lp.holder_is_active("online", NOW - timedelta(minutes=5), NOW, 65))
        self.assertFalse(lp.holder_is_active(None, None, NOW, 65))

    def test_c4_force_release_rights(self):
        self.assertFalse(lp.may_force_release(lp.HELD, False))
        self.assertTrue(lp.may_force_release(lp.HELD, True))
        self.assertTrue(lp.may_force_release(lp.STALE_ACTIVE, False))
        self.assertTrue(lp.may_force_release(lp.STALE_INACTIVE, False))
        self.assertFalse(lp.may_force_release(lp.FREE, True))
        self.assertFalse(lp.may_force_release(lp.MINE, True))
