"""One rule for the number to call or text a patient on (C1, C5, W4; issue 15.5)."""

from odoo.tests import TransactionCase, tagged

from .common import ClinicBaseCommon


@tagged("post_install", "-at_install")
class TestNumberToReach(ClinicBaseCommon, TransactionCase):
    def extra(self, partner, number, sequence=10):
        return self.env["clinic.partner.phone"].create(
            {"partner_id": partner.id, "number": number, "sequence": sequence}
        )

    def test_c1_mobile_first_then_landline_then_other_numbers(self):
        Partner = self.env["res.partner"]
        landline_only = Partner.create(
            {"name": "Lena Land", "is_patient": True, "phone": "030 5550001"}
        )
        extras_only = Partner.create({"name": "Emil Extra", "is_patient": True})
        self.extra(extras_only, "0176 5550003", sequence=20)
        self.extra(extras_only, "0176 5550002", sequence=5)
        broken_mobile = Partner.create(
            {
                "name": "Bea Broken",
                "is_patient": True,
                "mobile": "call reception",
                "phone": "030 5550004",
            }
        )
        nothing = Partner.create({"name": "Nina None", "is_patient": True})
        patients = self.anna | landline_only | extras_only | broken_mobile | nothing
        numbers = {
            partner_id: row.number_e164
            for partner_id, row in patients._clinic_numbers_to_reach().items()
        }
        self.assertEqual(
            numbers,
            {
                self.anna.id: "+4915123456789",  # mobile before her landline
                landline_only.id: "+49305550001",
                extras_only.id: "+491765550002",  # further numbers in their order
                broken_mobile.id: "+49305550004",  # what is no phone number is skipped
            },
        )
        self.assertEqual(self.anna._clinic_numbers_to_reach()[self.anna.id].number, "0151 23456789")
