"""Two clinics kept apart in clinic_base (R6, issue 11.2): patients, numbers, appointments."""

import importlib.util
from datetime import datetime, timedelta
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException

from .common import ClinicMultiCompanyCommon

B_PASSWORD = "clinic_operator_b"


def book(env, patient):
    start = datetime(2030, 1, 7, 10, 0)
    return env["calendar.event"].create(
        {"patient_id": patient.id, "start": start, "stop": start + timedelta(minutes=30)}
    )


@tagged("post_install", "-at_install")
class TestMultiCompany(ClinicMultiCompanyCommon, TransactionCase):
    def test_r6_numbers_carry_the_patient_company(self):
        self.assertEqual(self.patient_b.clinic_phone_ids.company_id, self.company_b)
        self.assertFalse(self.anna.clinic_phone_ids.company_id, "shared patient, shared numbers")
        self.patient_b.company_id = False
        self.assertFalse(self.patient_b.clinic_phone_ids.company_id, "follows the patient")

    def test_r6_migration_fills_the_company_of_existing_numbers(self):
        script = Path(__file__).parents[1] / "migrations" / "18.0.1.1.0" / "pre-migrate.py"
        spec = importlib.util.spec_from_file_location("clinic_base_pre_1_1_0", script)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.env.flush_all()
        self.env.cr.execute("UPDATE clinic_partner_phone SET company_id = NULL")
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self.patient_b.clinic_phone_ids.company_id, self.company_b)
        self.assertEqual(self.patient_a.clinic_phone_ids.company_id, self.company_a)
        self.assertFalse(self.anna.clinic_phone_ids.company_id)

    def test_r6_numbers_of_the_other_clinic_are_hidden(self):
        Phone = self.env["clinic.partner.phone"]
        for user, own, foreign in (
            (self.operator, self.patient_a, self.patient_b),
            (self.operator_b, self.patient_b, self.patient_a),
        ):
            with self.subTest(user=user.login):
                seen = Phone.with_user(user).search([]).partner_id
                self.assertIn(own, seen)
                self.assertIn(self.anna, seen)
                self.assertNotIn(foreign, seen)

    def test_r6_caller_identification_stays_in_the_clinic(self):
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.with_user(self.operator)._clinic_search_by_number(self.SHARED_NUMBER),
            self.patient_a,
        )
        self.assertEqual(
            Partner.with_user(self.operator_b)._clinic_search_by_number(self.SHARED_NUMBER),
            self.patient_b,
        )
        # A PBX acts with full rights: the company of its phone decides (T3, R6).
        Root = Partner.sudo()
        for companies, expected in (
            (self.company_a, self.patient_a),
            (self.company_b, self.patient_b),
            (self.company_a | self.company_b, self.patient_a | self.patient_b),
            (self.env["res.company"], Partner),  # no clinic: shared patients only
        ):
            with self.subTest(companies=companies.mapped("name")):
                found = Root._clinic_search_by_number(self.SHARED_NUMBER, companies=companies)
                self.assertEqual(found, expected)
        self.assertEqual(
            Root._clinic_search_by_number("+49 30 1234567", companies=self.company_b),
            self.anna,
            "shared patients are found from every clinic",
        )

    def test_r6_appointment_patient_fields_follow_the_reader_rights(self):
        event = book(self.env, self.patient_a)
        self.assertEqual(event.with_user(self.operator).patient_birthdate.isoformat(), "1971-01-01")
        as_b = event.with_user(self.operator_b)
        for field in ("patient_birthdate", "patient_mobile", "patient_phone"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                as_b.invalidate_recordset()
                as_b.read([field])


@tagged("post_install", "-at_install")
class TestMultiCompanyRpc(ClinicMultiCompanyCommon, HttpCase):
    def test_r6_other_clinic_patient_fields_refused_over_rpc(self):
        event = book(self.env, self.patient_a)
        self.authenticate("clinic_operator_b", B_PASSWORD)
        params = {
            "model": "calendar.event",
            "method": "read",
            "args": [event.ids, ["patient_birthdate", "patient_mobile"]],
            "kwargs": {},
        }
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request("/web/dataset/call_kw", params)
        self.assertIn("AccessError", str(caught.exception))
