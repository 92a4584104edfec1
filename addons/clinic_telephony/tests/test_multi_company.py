"""Caller identification stays inside the clinic of the PBX or desk phone (T3, T11, R6)."""

import time
from urllib.parse import urlencode

from odoo.addons.clinic_base.tests.common import ClinicMultiCompanyCommon
from odoo.addons.clinic_base.tools.signature import sign
from odoo.tests import HttpCase, tagged

from .common import TelephonyCommon, event_dict


@tagged("post_install", "-at_install")
class TestCallerCompanies(TelephonyCommon, ClinicMultiCompanyCommon, HttpCase):
    """PBX "test" serves clinic A's desk phones 101/102; PBX "vienna" clinic B's 201."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pbx_b = cls.env["clinic.pbx"].create(
            {"name": "Vienna PBX", "code": "vienna", "kind": "webhook", "secret": "wien"}
        )
        cls.phone_b = cls.env["clinic.telephony.phone"].create(
            {
                "name": "Empfang",
                "extension": "201",
                "pbx_id": cls.pbx_b.id,
                "company_id": cls.company_b.id,
            }
        )

    def ring(self, pbx, extension, call_id):
        body = event_dict(
            f"{call_id}-r",
            "call.ringing",
            call_id,
            extension=extension,
            **{"from": "+436605550123"},
        )
        self.ingest(body, pbx=pbx)
        return self.call(call_id, pbx=pbx)

    def test_r6_call_identifies_the_patient_of_the_phone_company(self):
        self.assertEqual(self.ring(self.pbx, "101", "mc-1").partner_id, self.patient_a)
        self.assertEqual(self.ring(self.pbx_b, "201", "mc-2").partner_id, self.patient_b)

    def test_r6_shared_pbx_identifies_by_the_phone_in_hand(self):
        self.phone_b.pbx_id = self.pbx
        self.assertEqual(self.ring(self.pbx, "201", "mc-3").partner_id, self.patient_b)
        self.assertEqual(self.ring(self.pbx, "102", "mc-4").partner_id, self.patient_a)
        # An extension the PBX does not know: any of its clinics, hence ambiguous.
        unknown = self.ring(self.pbx, "999", "mc-5")
        self.assertEqual(unknown.partner_ids, self.patient_a | self.patient_b)
        self.assertFalse(unknown.partner_id)

    def test_t11_callerid_names_only_the_pbx_clinic_patient(self):
        def lookup(code, secret):
            query = urlencode({"number": self.SHARED_NUMBER})
            timestamp = str(int(time.time()))
            headers = {
                "X-Clinic-Timestamp": timestamp,
                "X-Clinic-Signature": sign(secret, timestamp, query),
            }
            return self.url_open(f"/clinic/telephony/{code}/callerid?{query}", headers=headers)

        self.assertEqual(lookup("test", "s3cret").json(), {"name": "Ada Aachen"})
        self.assertEqual(lookup("vienna", "wien").json(), {"name": "Berta Bauer"})
