from odoo.tests import TransactionCase, tagged

from .common import ClinicBaseCommon


@tagged("post_install", "-at_install")
class TestPatientLookup(ClinicBaseCommon, TransactionCase):
    """T3 / P1: caller identification by any stored number."""

    def lookup(self, raw):
        return self.env["res.partner"]._clinic_search_by_number(raw)

    def test_t3_phone_and_mobile_are_indexed(self):
        rows = self.anna.clinic_phone_ids
        self.assertEqual(sorted(rows.mapped("source")), ["mobile", "phone"])
        self.assertEqual(sorted(rows.mapped("number_e164")), ["+4915123456789", "+49301234567"])

    def test_t3_one_match_any_format(self):
        for raw in ["030 1234567", "+49301234567", "0049 30 123 45 67", "+49 151 23456789"]:
            self.assertEqual(self.lookup(raw), self.anna, raw)
        self.assertEqual(self.lookup("8 916 234 56 78".replace("8 ", "+7 ", 1)), self.boris)

    def test_t3_no_match(self):
        self.assertFalse(self.lookup("030 7654321"))
        self.assertFalse(self.lookup("not a number"))
        self.assertFalse(self.lookup(""))

    def test_t3_shared_number_gives_every_patient(self):
        sibling = self.env["res.partner"].create(
            {"name": "Clara Schmidt", "is_patient": True, "phone": "+49 30 1234567"}
        )
        self.assertEqual(self.lookup("0301234567"), self.anna | sibling)

    def test_t3_extra_numbers(self):
        self.env["clinic.partner.phone"].create(
            {"partner_id": self.boris.id, "label": "Wife", "number": "0176 11223344"}
        )
        self.assertEqual(self.lookup("+49 176 11223344"), self.boris)

    def test_t3_edits_follow(self):
        self.anna.phone = "040 999888"
        self.assertFalse(self.lookup("030 1234567"))
        self.assertEqual(self.lookup("040 999888"), self.anna)
        self.anna.mobile = False
        self.assertEqual(self.anna.clinic_phone_ids.mapped("source"), ["phone"])

    def test_t3_non_patients_and_archived_are_ignored(self):
        self.env["res.partner"].create({"name": "Supplier", "phone": "089 555666"})
        self.assertFalse(self.lookup("089 555666"))
        self.anna.active = False
        self.assertFalse(self.lookup("030 1234567"))

    def test_t3_company_country_change_renormalises(self):
        self.env.company.country_id = self.env.ref("base.at")
        self.env.flush_all()
        # "030 1234567" now reads as an Austrian number; the international form is unchanged.
        self.assertEqual(self.lookup("030 1234567"), self.anna)
        self.assertEqual(
            self.anna.clinic_phone_ids.filtered(lambda r: r.source == "phone").number_e164,
            "+43301234567",
        )
        self.assertEqual(self.lookup("+7 916 234-56-78"), self.boris)

    def test_p1_lookup_uses_the_index(self):
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(
            "EXPLAIN SELECT partner_id FROM clinic_partner_phone WHERE number_e164 = %s",
            ["+49301234567"],
        )
        plan = " ".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("clinic_partner_phone__number_e164_index", plan)
