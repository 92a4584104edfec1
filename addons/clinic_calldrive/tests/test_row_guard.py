"""Issue 11.5 and 11.2: a row's processing state and its patient's data stay out of reach.

The lock, the state, the comment, the result and the attempts of a row change only
through Start call / Finish / Abort; related patient fields are read with the
reader's rights, not with full rights.
"""

import json

from odoo.addons.clinic_base.tests.common import ClinicMultiCompanyCommon
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import CallDriveCommon

PROTECTED_WRITES = (
    {"state": "done"},
    {"state": "cancelled"},
    {"last_comment": "Patient moved abroad"},
    {"lock_noted": True},
    {"lock_user_id": False},
    {"attempt_ids": [(5, 0, 0)]},
)


@tagged("post_install", "-at_install")
class TestHeldRowGuard(CallDriveCommon, TransactionCase):
    def setUp(self):
        super().setUp()
        self.call_list = self._confirmation_list()
        self.line = self._line_of(self.call_list, self.anna)
        self.line.with_user(self.operator).action_start_call(manual=True)

    def test_r_colleague_cannot_change_a_held_row(self):
        line = self.line.with_user(self.operator2)
        for vals in PROTECTED_WRITES:
            with self.subTest(vals=vals), self.assertRaises(AccessError) as caught:
                line.write(vals)
            self.assertIn("Start call", str(caught.exception))
        self.assertEqual(
            (self.line.state, self.line.last_comment, self.line.lock_user_id),
            ("todo", False, self.operator),
        )
        self.assertEqual(len(self.line.attempt_ids), 1)

    def test_r_holder_goes_through_finish_too(self):
        line = self.line.with_user(self.operator)
        with self.assertRaises(AccessError):
            line.write({"state": "done", "last_result_id": self.result_confirmed.id})
        line.action_finish(self.result_confirmed.id, "Will come")
        self.assertEqual((self.line.state, self.line.last_comment), ("done", "Will come"))

    def test_r_rows_are_not_created_processed(self):
        with self.assertRaises(AccessError):
            self.env["clinic.call.list.line"].with_user(self.operator).create(
                {
                    "list_id": self.call_list.id,
                    "partner_id": self.carl.id,
                    "state": "done",
                    "last_comment": "already called",
                }
            )

    def test_r_other_fields_stay_editable(self):
        self.line.with_user(self.operator2).write({"phone": "+49 30 555000", "sequence": 3})
        self.assertEqual(self.line.phone, "+49 30 555000")


@tagged("post_install", "-at_install")
class TestHeldRowGuardRpc(CallDriveCommon, HttpCase):
    def test_r_colleague_cannot_change_a_held_row_over_rpc(self):
        line = self._line_of(self._confirmation_list(), self.anna)
        line.with_user(self.operator).action_start_call(manual=True)
        self.operator2.password = "clinic_operator2_pw"
        self.authenticate("clinic_operator2", "clinic_operator2_pw")
        for vals in ({"state": "done"}, {"last_comment": "done by Otto"}):
            body = {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": "clinic.call.list.line",
                    "method": "write",
                    "args": [[line.id], vals],
                    "kwargs": {},
                },
            }
            with self.subTest(vals=vals):
                response = self.url_open(
                    "/web/dataset/call_kw",
                    data=json.dumps(body),
                    headers={"Content-Type": "application/json"},
                )
                error = response.json()["error"]["data"]
                self.assertEqual(error["name"], "odoo.exceptions.AccessError")
                self.assertIn("Finish processing", error["message"])
        line.invalidate_recordset()
        self.assertEqual((line.state, line.last_comment), ("todo", False))
        self.assertEqual(line.lock_user_id, self.operator)


@tagged("post_install", "-at_install")
class TestRowPatientFieldsRights(ClinicMultiCompanyCommon, CallDriveCommon, TransactionCase):
    """A row's related patient fields follow the reader's rights on the patient (11.2)."""

    def setUp(self):
        super().setUp()
        # Clinic A's patient on a list of clinic B (e.g. built before the patient moved):
        # clinic B's operator may see the row, not the patient.
        self.list_b = self.env["clinic.call.list"].create(
            {"name": "Recall B", "company_id": self.company_b.id}
        )
        self.line_b = self.env["clinic.call.list.line"].create(
            {"list_id": self.list_b.id, "partner_id": self.patient_a.id}
        )

    def test_r_related_patient_fields_use_the_readers_rights(self):
        line = self.line_b.with_user(self.operator_b)
        self.assertEqual(line.list_id, self.list_b)
        with self.assertRaises(AccessError):
            line.read(["partner_birthdate"])
        with self.assertRaises(AccessError):
            line.operator_card()

    def test_r_own_company_operator_reads_them(self):
        line = self._line_of(self._confirmation_list(), self.anna).with_user(self.operator)
        self.assertEqual(str(line.partner_birthdate), "1980-02-03")
        self.assertEqual(line.operator_card()["partner"]["birthdate"], "1980-02-03")
