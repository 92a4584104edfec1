from pathlib import Path

ADDONS_DIR = Path(__file__).resolve().parent.parent / "addons"
CLINIC_ADDONS = sorted(p.parent.name for p in ADDONS_DIR.glob("*/__manifest__.py"))
