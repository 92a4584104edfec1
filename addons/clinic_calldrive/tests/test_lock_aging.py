from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..exceptions import LineLockedError
from .common import CallDriveCommon


@tagged("post_install", "-at_install")
class TestLockAging(CallDriveCommon, TransactionCase):
    def setUp(self):
        super().setUp()
        self.call_list = self._confirmation_list()
        self.line = self._line_of(self.call_list, self.anna)
        self.start = fields.Datetime.now().replace(microsecond=0)
        with freeze_time(self.start):
            self.line.with_user(self.operator).action_start_call()

    def _presence(self, user, status, last_poll):
        self.env["bus.presence"].create(
            {"user_id": user.id, "status": status, "last_poll": last_poll}
        )

    def test_c4_active_holder_note_and_release_offer(self):
        later = self.start + timedelta(minutes=16)
        self._presence(self.operator, "online", later - timedelta(seconds=20))
        with freeze_time(later):
            self.assertTrue(self.line._is_stale())
            self.env["clinic.call.list.line"]._cron_release_stale_locks()
            # Still held: the holder is at work, but the comment says how long.
            self.assertEqual(self.line.lock_user_id, self.operator)
            self.assertIn("longer than 15 minutes", self.line.last_comment)
            self.env["clinic.call.list.line"]._cron_release_stale_locks()
            self.assertEqual(self.line.last_comment.count("longer than 15 minutes"), 1)
            # The next caller is told and offered the release.
            with self.assertRaises(LineLockedError) as caught:
                self.line.with_user(self.operator2).action_start_call()
            self.assertTrue(caught.exception.stale)
            self.assertIn("You may release the lock", str(caught.exception))
            self.line.with_user(self.operator2).action_force_release()
            self.line.with_user(self.operator2).action_start_call()
        self.assertEqual(self.line.lock_user_id, self.operator2)
        self.assertIn("released by Otto Operator", self.line.last_comment)

    def test_c4_fresh_lock_cannot_be_released_by_an_operator(self):
        self._presence(self.operator, "online", self.start)
        with freeze_time(self.start + timedelta(minutes=14)):
            with self.assertRaises(LineLockedError):
                self.line.with_user(self.operator2).action_force_release()
            self.env["clinic.call.list.line"]._cron_release_stale_locks()
        self.assertEqual(self.line.lock_user_id, self.operator)
        self.assertFalse(self.line.last_comment)

    def test_c4_inactive_holder_released_automatically(self):
        self._presence(self.operator, "offline", self.start)
        with freeze_time(self.start + timedelta(minutes=16)):
            self.env["clinic.call.list.line"]._cron_release_stale_locks()
        self.assertFalse(self.line.lock_user_id)
        self.assertIn("released automatically", self.line.last_comment)
        self.assertEqual(self.line.attempt_ids.outcome, "released")

    def test_c4_crashed_tab_counts_as_inactive(self):
        # "online" but no poll for minutes: the browser is gone.
        self._presence(self.operator, "online", self.start)
        with freeze_time(self.start + timedelta(minutes=16)):
            self.env["clinic.call.list.line"]._cron_release_stale_locks()
        self.assertFalse(self.line.lock_user_id)

    def test_c4_lock_limit_is_a_setting(self):
        self.env.company.clinic_call_lock_minutes = 30
        self._presence(self.operator, "offline", self.start)
        with freeze_time(self.start + timedelta(minutes=16)):
            self.env["clinic.call.list.line"]._cron_release_stale_locks()
        self.assertEqual(self.line.lock_user_id, self.operator)
