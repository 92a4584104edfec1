from odoo.tests import BaseCase, tagged

from ..tools.phone import display, to_e164


@tagged("post_install", "-at_install")
class TestToE164(BaseCase):
    """T3: numbers written any way end up in one E.164 form."""

    def test_t3_national_and_international_forms_agree(self):
        forms = [
            "030 1234567",
            "030/123 45 67",
            "+49 30 1234567",
            "0049 30 1234567",
            "+49 (0)30 1234567",
        ]
        self.assertEqual({to_e164(f, "DE") for f in forms}, {"+49301234567"})

    def test_t3_russian_trunk_prefix(self):
        self.assertEqual(to_e164("8 916 234-56-78", "RU"), "+79162345678")
        self.assertEqual(to_e164("+7 (916) 234-56-78", "DE"), "+79162345678")

    def test_t3_region_decides_national_numbers(self):
        self.assertEqual(to_e164("0151 23456789", "DE"), "+4915123456789")
        self.assertNotEqual(to_e164("0151 23456789", "AT"), to_e164("0151 23456789", "DE"))

    def test_t3_garbage_is_none(self):
        for raw in [None, "", "   ", "abc", "+", "1", "x" * 100, "12" * 40, 42]:
            self.assertIsNone(to_e164(raw, "DE"), raw)

    def test_t3_without_region_only_international(self):
        self.assertEqual(to_e164("+49 30 1234567"), "+49301234567")
        self.assertEqual(to_e164("49301234567"), "+49301234567")

    def test_display(self):
        self.assertEqual(display("+49301234567", "DE"), "030 1234567")
        self.assertEqual(display("+79162345678", "DE"), "+7 916 234-56-78")
        self.assertEqual(display(""), "")
