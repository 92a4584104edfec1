from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import CallDriveCommon


@tagged("post_install", "-at_install")
class TestCallDriveAccess(CallDriveCommon, TransactionCase):
    def setUp(self):
        super().setUp()
        self.call_list = self._confirmation_list()
        self.line = self._line_of(self.call_list, self.anna)

    def test_c1_plain_user_sees_no_call_lists(self):
        for record in (self.call_list, self.line, self.result_confirmed):
            with self.assertRaises(AccessError):
                record.with_user(self.plain_user).read(["display_name"])
        with self.assertRaises(AccessError):
            self.line.with_user(self.plain_user).action_start_call()

    def test_c1_operators_work_lists_managers_configure(self):
        Result = self.env["clinic.call.result"]
        with self.assertRaises(AccessError):
            Result.with_user(self.operator).create({"name": "Moved abroad"})
        with self.assertRaises(AccessError):
            self.call_list.with_user(self.operator).unlink()
        Result.with_user(self.manager).create({"name": "Moved abroad", "kind": "adhoc"})
        self.line.with_user(self.operator).action_start_call()
        attempt = self.line.attempt_ids.with_user(self.operator)
        with self.assertRaises(AccessError):
            attempt.write({"comment": "rewritten history"})

    def test_c1_other_company_lists_hidden(self):
        other = self.env["res.company"].create({"name": "Other clinic"})
        self.operator.write({"company_ids": [(4, other.id)]})
        foreign = self.env["clinic.call.list"].create({"name": "Theirs", "company_id": other.id})
        self.operator2.write({"company_ids": [(6, 0, [self.env.company.id])]})
        lists = self.env["clinic.call.list"].with_user(self.operator2).search([])
        self.assertNotIn(foreign, lists)


@tagged("post_install", "-at_install")
class TestCallDriveRpcAccess(CallDriveCommon, HttpCase):
    def test_c2_plain_user_cannot_lock_over_rpc(self):
        self.plain_user.password = "clinic_plain_pw"
        line = self._line_of(self._confirmation_list(), self.anna)
        self.authenticate("clinic_plain", "clinic_plain_pw")
        with self.assertRaises(Exception) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "clinic.call.list.line",
                    "method": "action_start_call",
                    "args": [[line.id]],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(caught.exception))
        self.assertFalse(line.lock_user_id)

    def test_c1_plain_user_cannot_read_lists_over_rpc(self):
        self.plain_user.password = "clinic_plain_pw"
        self._confirmation_list()
        self.authenticate("clinic_plain", "clinic_plain_pw")
        for model in ("clinic.call.list", "clinic.call.list.line", "clinic.call.attempt"):
            with self.assertRaises(Exception) as caught:
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": model,
                        "method": "search_read",
                        "args": [[]],
                        "kwargs": {"fields": ["display_name"]},
                    },
                )
            self.assertIn("AccessError", str(caught.exception))
