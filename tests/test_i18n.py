"""SPEC 0: every clinic addon ships ru and de translations of all its strings."""

import polib

from odoo.tests import BaseCase, tagged

from .common import ADDONS_DIR, CLINIC_ADDONS


@tagged("post_install", "-at_install")
class TestTranslations(BaseCase):
    def test_every_addon_has_complete_ru_and_de(self):
        for addon in CLINIC_ADDONS:
            pot_path = ADDONS_DIR / addon / "i18n" / f"{addon}.pot"
            if not any((ADDONS_DIR / addon).glob("**/*.xml")) and not pot_path.exists():
                continue  # nothing user-visible yet
            with self.subTest(addon=addon):
                self.assertTrue(pot_path.exists(), f"{addon}: missing i18n/{addon}.pot")
                msgids = {e.msgid for e in polib.pofile(str(pot_path)) if e.msgid}
                self.assertTrue(msgids, f"{addon}: empty template")
                for lang in ("ru", "de"):
                    po_path = pot_path.with_name(f"{lang}.po")
                    self.assertTrue(po_path.exists(), f"{addon}: missing i18n/{lang}.po")
                    po = polib.pofile(str(po_path))
                    done = {e.msgid for e in po if e.msgstr and not e.obsolete}
                    self.assertFalse(
                        sorted(msgids - done)[:10],
                        f"{addon}/{lang}.po leaves these (first 10) untranslated",
                    )

    def test_placeholders_survive_translation(self):
        # A translation that drops or renames %(name)s breaks the message at runtime.
        for addon in CLINIC_ADDONS:
            for lang in ("ru", "de"):
                path = ADDONS_DIR / addon / "i18n" / f"{lang}.po"
                if path.exists():
                    entries = polib.pofile(str(path))
                    for entry in entries:
                        if "%(" in entry.msgid and entry.msgstr:
                            self.assertEqual(
                                sorted(_placeholders(entry.msgid)),
                                sorted(_placeholders(entry.msgstr)),
                                f"{addon}/{lang}: placeholders differ in {entry.msgid!r}",
                            )


def _placeholders(text):
    import re

    return re.findall(r"%\([a-z_]+\)s", text)
