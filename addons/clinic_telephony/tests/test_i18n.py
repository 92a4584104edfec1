from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestTranslationsInSync(TransactionCase):
    """SPEC 0: ru and de cover every string the addon shows, including the web client's."""

    def test_every_extracted_term_is_in_pot_ru_and_de(self):
        # The same extraction as --i18n-export: fields, views, Python _() and JS/XML _t.
        terms = {
            source
            for _module, _type, _name, _res_id, source, _value, _comments in (
                TranslationModuleReader(self.env.cr, modules=["clinic_telephony"])
            )
            if source
        }
        self.assertIn("%(count)s more on the line", terms)  # web client strings are extracted
        for name in ("clinic_telephony.pot", "ru.po", "de.po"):
            po = polib.pofile(str(I18N / name))
            known = {e.msgid for e in po if not e.obsolete and (name.endswith(".pot") or e.msgstr)}
            with self.subTest(file=name):
                self.assertFalse(sorted(terms - known), f"{name} misses these terms")
