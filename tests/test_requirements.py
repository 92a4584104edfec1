"""Requirement references resolve (issue 15.8): every code that code outside the tests
cites (T4, C13, R6...) is defined in docs/requirements.md."""

import re
from pathlib import Path

from odoo.tests import BaseCase, tagged

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "docs" / "requirements.md"
CODE = re.compile(r"\b[TWCXOPR][0-9]{1,2}\b")
DEFINITION = re.compile(r"^- \*\*([TWCXOPR][0-9]{1,2})\*\* ", re.MULTILINE)
SCANNED = ("addons", "tools", "bench", "deploy", "README.md", "CONTRIBUTING.md", "Makefile")
SUFFIXES = {".py", ".js", ".xml", ".scss", ".md", ".rst", ".cfg", ".conf", ".toml", ""}
# Test code names the codes it proves; translations repeat the code's own text.
SKIPPED_DIRS = {"tests", "i18n", "node_modules", "__pycache__", "migrations"}


def defined_codes(text):
    return set(DEFINITION.findall(text))


def cited_codes(paths):
    """``{code: first path citing it}`` over the given files."""
    cited = {}
    for path in paths:
        for code in CODE.findall(path.read_text(errors="replace")):
            cited.setdefault(code, path)
    return cited


def source_files():
    for name in SCANNED:
        top = ROOT / name
        candidates = [top] if top.is_file() else top.rglob("*") if top.is_dir() else []
        for path in candidates:
            relative = path.relative_to(ROOT).parts
            if path.is_file() and path.suffix in SUFFIXES and not SKIPPED_DIRS & set(relative):
                yield path


def undefined_citations(defined, cited):
    """``{code: path}`` of the cited codes ``defined`` lacks."""
    return {code: path for code, path in cited.items() if code not in defined}


@tagged("post_install", "-at_install")
class TestRequirementReferences(BaseCase):
    def test_every_cited_code_is_defined(self):
        defined = defined_codes(REQUIREMENTS.read_text())
        cited = cited_codes(source_files())
        self.assertLessEqual({"T2", "C4", "W6", "R7", "P2"}, set(cited), "the scan sees the code")
        undefined = {
            code: str(path.relative_to(ROOT))
            for code, path in undefined_citations(defined, cited).items()
        }
        self.assertFalse(undefined, "cited in code but not defined in docs/requirements.md")

    def test_each_code_defined_once(self):
        codes = DEFINITION.findall(REQUIREMENTS.read_text())
        self.assertEqual(len(codes), len(set(codes)))
        self.assertIn("T16", codes)

    def test_an_undefined_citation_is_caught(self):
        defined = defined_codes("- **T1** Phones.\n- **C4** Locks.\n")
        self.assertEqual(defined, {"T1", "C4"})
        cited = {code: "x.py" for code in CODE.findall("see T17 and C4; not E164 or T123")}
        self.assertEqual(undefined_citations(defined, cited), {"T17": "x.py"})
