import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from ..exceptions import LineLockedError
from .common import CallDriveCommon


@tagged("post_install", "-at_install")
class TestRowLocks(CallDriveCommon, TransactionCase):
    def setUp(self):
        super().setUp()
        self.call_list = self._confirmation_list()
        self.line = self._line_of(self.call_list, self.anna)

    def test_c2_start_call_locks_row_for_operator(self):
        self.line.with_user(self.operator).action_start_call()
        self.assertEqual(self.line.lock_user_id, self.operator)
        self.assertTrue(self.line.lock_date)
        attempt = self.line.attempt_ids
        self.assertEqual((attempt.user_id, attempt.outcome), (self.operator, "open"))
        self.assertEqual(self.call_list.locked_count, 1)
        # Starting again (e.g. after a reload) keeps one open attempt.
        self.line.with_user(self.operator).action_start_call()
        self.assertEqual(len(self.line.attempt_ids), 1)

    def test_c4_locked_row_names_holder(self):
        self.line.with_user(self.operator).action_start_call()
        with self.assertRaises(LineLockedError) as caught:
            self.line.with_user(self.operator2).action_start_call()
        self.assertIn("Olga Operator", str(caught.exception))
        self.assertEqual(caught.exception.holder, self.operator)
        self.assertFalse(caught.exception.stale)
        self.assertEqual(self.line.lock_user_id, self.operator)

    def test_c4_other_operator_cannot_finish_or_abort(self):
        self.line.with_user(self.operator).action_start_call()
        with self.assertRaises(LineLockedError):
            self.line.with_user(self.operator2).action_finish(self.result_confirmed.id)
        with self.assertRaises(LineLockedError):
            self.line.with_user(self.operator2).action_abort()
        with self.assertRaises(LineLockedError):
            self.line.with_user(self.operator2).action_force_release()
        self.assertEqual(self.line.lock_user_id, self.operator)

    def test_c3_finish_requires_a_started_call(self):
        with self.assertRaisesRegex(UserError, "Start the call"):
            self.line.with_user(self.operator).action_finish(self.result_no_answer.id)

    def test_c4_abort_processing_releases(self):
        self.line.with_user(self.operator).action_start_call()
        self.line.with_user(self.operator).action_abort()
        self.assertFalse(self.line.lock_user_id)
        self.assertEqual(self.line.state, "todo")
        self.assertEqual(self.line.attempt_ids.outcome, "aborted")
        self.line.with_user(self.operator2).action_start_call()
        self.assertEqual(self.line.lock_user_id, self.operator2)

    def test_c4_manager_may_break_a_fresh_lock(self):
        self.line.with_user(self.operator).action_start_call()
        self.line.with_user(self.manager).action_force_release()
        self.assertFalse(self.line.lock_user_id)
        self.assertIn("released by Mara Manager", self.line.last_comment)
        self.assertEqual(self.line.attempt_ids.outcome, "released")

    def test_c4_lock_fields_only_through_the_lock_methods(self):
        with self.assertRaises(AccessError):
            self.line.with_user(self.operator).write({"lock_user_id": self.operator2.id})
        with self.assertRaises(AccessError):
            self.env["clinic.call.list.line"].with_user(self.operator).create(
                {
                    "list_id": self.call_list.id,
                    "partner_id": self.anna.id,
                    "lock_user_id": self.operator2.id,
                }
            )

    def test_c4_lock_changes_go_to_the_list_channel(self):
        # sudo: bus.bus - the test inspects the notifications it caused
        self.env["bus.bus"].sudo().search([]).unlink()
        self.line.with_user(self.operator).action_start_call()
        self.env.cr.precommit.run()
        channel = json.dumps(
            [self.env.cr.dbname, "clinic.call.list", self.call_list.id], separators=(",", ":")
        )
        notes = self.env["bus.bus"].sudo().search([("channel", "=", channel)])
        self.assertEqual(len(notes), 1)
        message = json.loads(notes.message)
        self.assertEqual(message["type"], "clinic_calldrive/lock")
        self.assertEqual(
            message["payload"]["lock_user"], {"id": self.operator.id, "name": "Olga Operator"}
        )
        self.assertEqual(message["payload"]["line_id"], self.line.id)

    def test_c4_list_channel_only_for_operators(self):
        channel = f"clinic.call.list_{self.call_list.id}"
        Websocket = self.env["ir.websocket"]
        allowed = Websocket.with_user(self.operator)._clinic_record_channels(
            [channel], "clinic.call.list"
        )
        self.assertEqual(allowed, [self.call_list])
        refused = Websocket.with_user(self.plain_user)._clinic_record_channels(
            [channel], "clinic.call.list"
        )
        self.assertEqual(refused, [])
