"""O1: every command runs in a virtualenv; a PEP 668 system Python is never modified.

Run by pytest (`make test`) like the rest of the suite, but these tests drive
``tools/clinic.py`` as a user would, in throwaway copies of the tooling.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import odoo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import clinic  # noqa: E402 - tools/clinic.py, the code under test

DEBIAN_PYTHON = Path("/usr/bin/python3")


def odoo_source_dir():
    """The Odoo 18 source tree this test run's Odoo comes from."""
    for candidate in (Path(odoo.__file__).resolve().parent.parent, Path("/opt/odoo18")):
        if clinic.source_version(candidate) == "18":
            return candidate
    pytest.fail("This run's Odoo is not an editable source tree; run it through make test.")


def debian_python():
    """Debian's own python3, which carries the PEP 668 marker."""
    if not DEBIAN_PYTHON.exists() and not clinic.apt_install("python3-venv", "the O1 test"):
        pytest.fail("Debian's /usr/bin/python3 is needed (apt-get install python3-venv).")
    return str(DEBIAN_PYTHON)


def site_snapshot(python):
    """Every file of the interpreter's site directories, with size and mtime."""
    out = subprocess.run(
        [
            python,
            "-c",
            "import json, site, sysconfig; print(json.dumps(sorted(set("
            "site.getsitepackages() + [site.getusersitepackages(), sysconfig.get_path('scripts')]"
            "))))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    files = {}
    for directory in json.loads(out):
        for dirpath, _dirs, names in os.walk(directory):
            for name in names:
                path = os.path.join(dirpath, name)
                try:
                    stat = os.lstat(path)
                except OSError:
                    continue
                files[path] = (stat.st_size, stat.st_mtime_ns)
    return files


def tooling_copy(tmp_path):
    """A throwaway checkout of what `tools/clinic.py env` reads."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "tools", repo / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, repo / name)
    return repo


def clean_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "ODOO_SRC")
    }
    env.update(extra)
    return env


def test_o1_pep668_system_python_gets_a_virtualenv(tmp_path):
    python = debian_python()
    marker = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(marker, "EXTERNALLY-MANAGED").exists(), "not a PEP 668 interpreter"
    repo = tooling_copy(tmp_path)
    before = site_snapshot(python)

    done = subprocess.run(
        [python, str(repo / "tools" / "clinic.py"), "env"],
        env=clean_env(XDG_CACHE_HOME=str(tmp_path / "cache"), ODOO_SRC=str(odoo_source_dir())),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    venv_python = repo / ".venv" / "bin" / "python"
    assert done.stdout.strip().splitlines()[-1] == str(venv_python)
    # every pip run went to the virtualenv, none to the system interpreter
    pip_runs = [line for line in done.stdout.splitlines() if " -m pip " in line]
    assert pip_runs
    assert all(line.startswith(f"[clinic] $ {venv_python} -m pip ") for line in pip_runs), pip_runs
    assert site_snapshot(python) == before, "the system interpreter's site-packages changed"
    cfg = (repo / ".venv" / "pyvenv.cfg").read_text()
    assert "home = /usr/bin" in cfg
    probe = subprocess.run(
        [venv_python, "-c", "import sys, odoo.release as r; print(r.version_info[0], sys.prefix)"],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    )
    assert probe.stdout.split() == ["18", str(repo / ".venv")]
    # the Odoo source was remembered for later clones
    assert (tmp_path / "cache" / "clinic" / "odoo-src").read_text().strip() == str(
        odoo_source_dir()
    )

    # again, without ODOO_SRC: nothing to install, same interpreter
    again = subprocess.run(
        [python, str(repo / "tools" / "clinic.py"), "env"],
        env=clean_env(XDG_CACHE_HOME=str(tmp_path / "cache")),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stdout.strip().splitlines() == [str(venv_python)]


def test_o1_active_virtualenv_is_respected(tmp_path):
    """With VIRTUAL_ENV set, the script runs in that one and creates no .venv."""
    repo = tooling_copy(tmp_path)
    active = Path(sys.prefix)  # this test run's own virtualenv
    done = subprocess.run(
        [clinic.base_interpreter(), str(repo / "tools" / "clinic.py"), "env"],
        env=clean_env(VIRTUAL_ENV=str(active)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == str(active / "bin" / "python")
    assert not (repo / ".venv").exists()


def fake_base_interpreter(tmp_path, source):
    """A bare virtualenv acting as a base interpreter whose Odoo came from ``source``."""
    base = tmp_path / "base"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", base], check=True)
    site = next(base.glob("lib/python3*/site-packages"))
    dist = site / "odoo-18.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: odoo\nVersion: 18.0\n")
    (dist / "direct_url.json").write_text(json.dumps({"url": f"file://{source}", "dir_info": {}}))
    return str(base / "bin" / "python")


def test_o1_fresh_clone_finds_odoo_without_odoo_src(tmp_path, monkeypatch):
    """The order a fresh clone uses: ODOO_SRC (remembered), the remembered source, the
    source of the base interpreter's own Odoo (PEP 610)."""
    source = odoo_source_dir()
    monkeypatch.setattr(clinic, "USER_CACHE", tmp_path / "cache")
    monkeypatch.delenv("ODOO_SRC", raising=False)
    monkeypatch.setattr(clinic, "base_interpreter", lambda: fake_base_interpreter(tmp_path, source))
    assert clinic.odoo_source() == source
    assert (tmp_path / "cache" / "odoo-src").read_text().strip() == str(source)

    # remembered: found even when the base interpreter has no Odoo
    monkeypatch.setattr(clinic, "base_interpreter", lambda: None)
    assert clinic.odoo_source() == source

    # a wrong ODOO_SRC is refused with a message, not a traceback
    monkeypatch.setenv("ODOO_SRC", str(tmp_path / "missing"))
    with pytest.raises(clinic.SetupError, match="does not exist"):
        clinic.odoo_source()
