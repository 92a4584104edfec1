"""O5: every addon builds an OCA-style wheel (whool) that installs into an Odoo 18.

`pip wheel addons/<addon>` is what an integrator runs; the wheels then install
with pip into a throwaway environment layered on this run's Odoo, where Odoo
must find the addon in site-packages (odoo/addons/<name>), not in the checkout.
"""

import ast
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent for p in (ROOT / "addons").glob("*/__manifest__.py"))


def pip(*args, python=sys.executable, timeout=600):
    done = subprocess.run(
        [python, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_o5_every_addon_has_a_whool_pyproject():
    for addon in ADDONS:
        text = (addon / "pyproject.toml").read_text()
        assert 'build-backend = "whool.buildapi"' in text, addon.name
        assert (addon / "readme" / "DESCRIPTION.md").exists(), addon.name


def test_o5_wheels_build_and_install_next_to_odoo(tmp_path):
    wheels = tmp_path / "wheels"
    for addon in ADDONS:
        pip("wheel", "--no-deps", "-w", wheels, addon)
    built = {p.name.split("-")[0] for p in wheels.glob("*.whl")}
    assert built == {f"odoo_addon_{addon.name}" for addon in ADDONS}

    # a bare environment that sees this run's Odoo and libraries, and nothing else
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env], check=True)
    python = str(env / "bin" / "python")
    site = next(env.glob("lib/python3*/site-packages"))
    # addsitedir also runs that site's .pth files (the editable Odoo source)
    purelib = sysconfig.get_paths()["purelib"]
    (site / "odoo-here.pth").write_text(f"import site; site.addsitedir({purelib!r})\n")

    analytics = next(wheels.glob("odoo_addon_clinic_telephony_analytics-*.whl"))
    # its clinic dependencies come from the built wheels, Odoo from the environment
    pip("--python", python, "install", "--no-index", "--find-links", wheels, analytics)
    installed = pip("--python", python, "list", "--format=freeze")
    for name in ("clinic-base", "clinic-telephony", "clinic-telephony-analytics"):
        assert f"odoo-addon-{name}==" in installed.lower().replace("_", "-"), installed

    found = subprocess.run(
        [
            python,
            "-c",
            "import odoo; from odoo.modules import module as m; "
            "odoo.tools.config.parse_config([]); m.initialize_sys_path(); "
            "print(m.get_module_path('clinic_telephony_analytics')); "
            "print(m.get_manifest('clinic_telephony_analytics')['version'])",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert found.returncode == 0, found.stderr[-3000:]
    path, version = found.stdout.split()
    assert path == str(site / "odoo" / "addons" / "clinic_telephony_analytics")
    manifest = ast.literal_eval(
        (ROOT / "addons" / "clinic_telephony_analytics" / "__manifest__.py").read_text()
    )
    assert version == manifest["version"]
