#!/usr/bin/env python3
"""Set up, run and test the clinic addons with one command each.

    python3 tools/clinic.py setup   # prerequisites + database "clinic" with demo data
    python3 tools/clinic.py run     # setup, then serve http://localhost:8069
    python3 tools/clinic.py test    # fresh test database, every test incl. Chromium tours

Every step is idempotent. A missing prerequisite stops with a message that names
the fix instead of a traceback. Environment:

    ODOO_SRC    Odoo 18 source (directory or .tar.gz/.zip) to install when
                `import odoo` fails; defaults to Odoo's official 18.0 archive.
    PG*         the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD).
    CLINIC_DB   database for `setup`/`run` (default: clinic).
    TEST_DB     database for `test` (default: clinic_test).
"""

import argparse
import getpass
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "odoo.conf"
CACHE = ROOT / ".cache"
ADDONS_DIR = ROOT / "addons"
OFFICIAL_ODOO_ARCHIVE = "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
# python-ldap only serves auth_ldap and needs system LDAP headers.
SKIPPED_ODOO_REQUIREMENTS = ("python-ldap",)
LANGUAGES = "ru_RU,de_DE"


class SetupError(Exception):
    """A prerequisite is missing; the message says how to fix it."""


def say(msg):
    print(f"[clinic] {msg}", flush=True)


def run(cmd, **kw):
    say("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def clinic_addons():
    """Our addons, dependencies first is not needed: Odoo orders them."""
    return sorted(p.parent.name for p in ADDONS_DIR.glob("*/__manifest__.py"))


# --- Odoo -----------------------------------------------------------------


def odoo_version():
    probe = subprocess.run(
        [sys.executable, "-c", "import odoo.release as r; print(r.version_info[0])"],
        capture_output=True,
        text=True,
        cwd="/",
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


def pip_install(args, constraints=True):
    env = dict(os.environ)
    if constraints:
        # Some of Odoo's pinned sdists only build with an older setuptools.
        cfile = CACHE / "pip-constraints.txt"
        cfile.write_text("setuptools<70\n")
        env["PIP_CONSTRAINT"] = str(cfile)
    run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *args], env=env)


def unpack_odoo_source(src):
    """Return a directory holding Odoo's setup.py, unpacking archives if needed."""
    if src.startswith(("http://", "https://")):
        target = CACHE / "odoo-src.tar.gz"
        if not target.exists():
            say(f"Downloading Odoo 18 from {src}")
            try:
                urllib.request.urlretrieve(src, target)  # noqa: S310 - fixed official URL or user's choice
            except OSError as exc:
                raise SetupError(
                    f"Could not download Odoo 18 from {src} ({exc}). Set ODOO_SRC to a local "
                    "Odoo 18 source directory or archive."
                ) from exc
        src = str(target)
    path = Path(src).expanduser()
    if path.is_dir():
        return path
    if not path.exists():
        raise SetupError(f"ODOO_SRC={src} does not exist.")
    dest = Path(tempfile.mkdtemp(prefix="odoo-src-", dir=CACHE))
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            archive.extractall(dest)
    elif tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            archive.extractall(dest, filter="data")
    else:
        raise SetupError(f"ODOO_SRC={src} is neither a directory nor a .tar.gz/.zip archive.")
    setups = list(dest.glob("*/setup.py")) + list(dest.glob("setup.py"))
    if not setups:
        raise SetupError(f"No setup.py found in {src}: is it Odoo's source?")
    return setups[0].parent


def ensure_odoo():
    version = odoo_version()
    if version == "18":
        return
    if version:
        raise SetupError(
            f"python3 imports Odoo {version}, but these addons need Odoo 18. "
            "Use a Python environment without it or uninstall it (pip uninstall odoo)."
        )
    src = os.environ.get("ODOO_SRC") or OFFICIAL_ODOO_ARCHIVE
    say(f"Odoo 18 is not importable; installing it from {src}")
    source = unpack_odoo_source(src)
    reqs = CACHE / "odoo-requirements.txt"
    lines = (source / "requirements.txt").read_text().splitlines()
    reqs.write_text(
        "\n".join(
            line for line in lines if not line.strip().lower().startswith(SKIPPED_ODOO_REQUIREMENTS)
        )
    )
    pip_install(["-r", reqs])
    # Not editable: OCA addon wheels install into site-packages/odoo/addons.
    pip_install([str(source)])
    if odoo_version() != "18":
        raise SetupError(
            "Odoo was installed but `import odoo` still fails; see pip's output above."
        )


def ensure_requirements():
    req = ROOT / "requirements.txt"
    stamp = CACHE / "requirements.sha256"
    digest = hashlib.sha256(req.read_bytes() + sys.executable.encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    # Not under the build constraint: requirements.txt asks for a newer setuptools.
    pip_install(["-r", req], constraints=False)
    stamp.write_text(digest)


# --- PostgreSQL -----------------------------------------------------------


def pg_connect(dbname="postgres"):
    import psycopg2

    return psycopg2.connect(dbname=dbname, connect_timeout=5)


def start_local_clusters():
    if os.geteuid() != 0 or not shutil.which("pg_lsclusters"):
        return False
    out = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True).stdout
    started = False
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[3] == "down":
            run(["pg_ctlcluster", fields[0], fields[1], "start"])
            started = True
    return started


def ensure_role(role):
    if os.geteuid() != 0 or not shutil.which("runuser"):
        return False
    run(["runuser", "-u", "postgres", "--", "createuser", "--superuser", role])
    return True


def ensure_postgres():
    import psycopg2

    role = os.environ.get("PGUSER") or getpass.getuser()
    for _attempt in range(3):
        try:
            pg_connect().close()
            return
        except psycopg2.OperationalError as exc:
            text = str(exc)
            if f'role "{role}" does not exist' in text and ensure_role(role):
                continue
            if (
                "could not connect" in text
                or "No such file" in text
                or "Connection refused" in text
            ) and start_local_clusters():
                continue
            raise SetupError(
                "PostgreSQL is not reachable with the PG* environment:\n  "
                + text.strip().replace("\n", "\n  ")
                + "\nStart a server (Debian: apt-get install postgresql &&"
                " pg_ctlcluster 15 main start) and create a role for this user"
                " (createuser --superuser "
                f"{role}), or set PGHOST/PGPORT/PGUSER/PGPASSWORD."
            ) from exc
    raise SetupError("PostgreSQL did not become reachable; see the messages above.")


def database_state(dbname):
    """None if the database does not exist, else the set of installed modules."""
    conn = pg_connect()
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
            if not cr.fetchone():
                return None
    finally:
        conn.close()
    conn = pg_connect(dbname)
    try:
        with conn.cursor() as cr:
            try:
                cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
            except Exception:  # noqa: BLE001 - an empty database has no such table
                return set()
            return {row[0] for row in cr.fetchall()}
    finally:
        conn.close()


def drop_database(dbname):
    conn = pg_connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    finally:
        conn.close()


# --- System packages (Chromium, wkhtmltopdf) ------------------------------


def ensure_system_package(package, binaries, purpose):
    """Make sure one of ``binaries`` is on PATH, installing Debian's ``package`` as root."""
    if any(shutil.which(name) for name in binaries):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"{binaries[0]} is missing: installing Debian's {package} package ({purpose})")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        run(["apt-get", "install", "-y", "-qq", package], env=env)
        if any(shutil.which(name) for name in binaries):
            return
    raise SetupError(
        f"{binaries[0]} is needed for {purpose} and was not found. "
        f"Install it (Debian/Ubuntu: apt-get install {package}) and run the command again."
    )


def ensure_chromium():
    ensure_system_package(
        "chromium",
        ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"),
        "the browser tests (tours)",
    )


def ensure_wkhtmltopdf():
    ensure_system_package("wkhtmltopdf", ("wkhtmltopdf",), "PDF reports")


# --- Odoo commands --------------------------------------------------------


def odoo_cmd(*args):
    # Odoo's launcher rather than ``-m odoo``: with workers, Odoo starts its
    # websocket (gevent) process by re-executing sys.argv[0].
    launcher = Path(sys.executable).with_name("odoo")
    head = [str(launcher)] if launcher.is_file() else ["-m", "odoo"]
    return [sys.executable, *head, "-c", CONF, *args]


def install_addons(dbname, demo=True, languages=None, addons=None):
    wanted = set(addons or clinic_addons())
    state = database_state(dbname)
    missing = wanted - (state or set())
    if state is not None and not missing:
        say(f"Database {dbname} already has every clinic addon installed")
        return
    args = [
        "-d",
        dbname,
        "-i",
        ",".join(sorted(missing)),
        "--stop-after-init",
        f"--db-filter=^{dbname}$",
        "--log-level=warn",
    ]
    if not demo:
        args.append("--without-demo=all")
    if languages:
        args.append(f"--load-language={languages}")
    run(odoo_cmd(*args), cwd=ROOT)
    # Odoo logs a failed module load but may still exit 0: check the result.
    failed = wanted - (database_state(dbname) or set())
    if failed:
        raise SetupError(
            f"Installing {', '.join(sorted(failed))} into {dbname} failed; the error is in "
            "Odoo's log above."
        )


DIGEST_KEY = "clinic.addons_digest"


def addons_digest():
    """Fingerprint of the clinic addons' source files."""
    digest = hashlib.sha256()
    for path in sorted(ADDONS_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ADDONS_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _digest_param(dbname, value=None):
    """The digest the database was last built or updated from (or store ``value``)."""
    conn = pg_connect(dbname)
    try:
        with conn, conn.cursor() as cr:
            if value is None:
                cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [DIGEST_KEY])
                row = cr.fetchone()
                return row and row[0]
            cr.execute(
                "INSERT INTO ir_config_parameter (key, value, create_date, write_date)"
                " VALUES (%s, %s, now() at time zone 'utc', now() at time zone 'utc')"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [DIGEST_KEY, value],
            )
            return value
    finally:
        conn.close()


def install_or_update(dbname, addons=None, demo=True, languages=None):
    """Install the missing clinic addons; when the database already existed and the
    addons' source changed since it was built, update the installed ones too.

    Installing only what is missing would keep yesterday's views, data and
    columns after a `git pull`; Odoo's `-u` brings them up to date.
    """
    existed = database_state(dbname) is not None
    install_addons(dbname, demo=demo, languages=languages, addons=addons)
    digest = addons_digest()
    if existed and _digest_param(dbname) != digest:
        installed = sorted(database_state(dbname) & set(clinic_addons()))
        say(f"The clinic addons changed since {dbname} was built: updating them")
        args = ["-d", dbname, "-u", ",".join(installed), "--stop-after-init"]
        args += [f"--db-filter=^{dbname}$", "--log-level=warn"]
        if not demo:
            args.append("--without-demo=all")
        run(odoo_cmd(*args), cwd=ROOT)
    _digest_param(dbname, digest)


def prerequisites(browser=False):
    CACHE.mkdir(exist_ok=True)
    if not (sys.version_info >= (3, 10) and sys.version_info < (3, 13)):
        raise SetupError(f"Odoo 18 needs Python 3.10-3.12; this is {sys.version.split()[0]}.")
    ensure_odoo()
    ensure_requirements()
    ensure_postgres()
    ensure_wkhtmltopdf()
    if browser:
        ensure_chromium()


def cmd_setup(args):
    prerequisites()
    install_or_update(args.db, demo=True, languages=LANGUAGES)
    say(f"Database {args.db} is ready")


def cmd_run(args):
    cmd_setup(args)
    say("Serving http://localhost:8069 (login admin / admin); Ctrl+C stops")
    os.chdir(ROOT)
    os.execv(sys.executable, odoo_cmd("-d", args.db, f"--db-filter=^{args.db}$"))


def cmd_test(args):
    prerequisites(browser=True)
    addons = args.addons.split(",") if args.addons else clinic_addons()
    if args.reuse and database_state(args.db) is not None:
        # Developer loop: keep the database, refresh the addons' data and views.
        install_addons(args.db, demo=False, addons=addons)
        run(
            odoo_cmd(
                "-d",
                args.db,
                "-u",
                ",".join(addons),
                "--stop-after-init",
                f"--db-filter=^{args.db}$",
                "--log-level=warn",
            ),
            cwd=ROOT,
        )
    else:
        drop_database(args.db)
        shutil.rmtree(Path.home() / ".local/share/Odoo/filestore" / args.db, ignore_errors=True)
        install_addons(args.db, demo=False, addons=addons)
    pytest_args = [
        sys.executable,
        "-m",
        "pytest",
        f"--odoo-config={CONF}",
        f"--odoo-database={args.db}",
        "--odoo-http",
        "--odoo-log-level=warn",
        f"--odoo-extra=db-filter=^{args.db}$",
        "-p",
        "no:cacheprovider",
        "-rs",
        *(args.pytest_args or [str(p.relative_to(ROOT)) for p in test_paths()]),
    ]
    say("$ " + " ".join(pytest_args))
    os.chdir(ROOT)
    os.execv(sys.executable, pytest_args)


def test_paths():
    paths = sorted(ADDONS_DIR.glob("*/tests"))
    paths.append(ROOT / "tests")
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, default_db in (
        ("setup", cmd_setup, os.environ.get("CLINIC_DB", "clinic")),
        ("run", cmd_run, os.environ.get("CLINIC_DB", "clinic")),
        ("test", cmd_test, os.environ.get("TEST_DB", "clinic_test")),
    ):
        p = sub.add_parser(name)
        p.add_argument("--db", default=default_db)
        p.set_defaults(func=func)
        if name == "test":
            p.add_argument(
                "--reuse",
                action="store_true",
                help="keep the test database and only update the clinic addons",
            )
            p.add_argument(
                "--addons",
                default=os.environ.get("TEST_ADDONS"),
                help="comma-separated addons to install (default: all clinic addons)",
            )
            p.add_argument("pytest_args", nargs="*", help="paths/options passed to pytest")
    args = parser.parse_args()
    try:
        args.func(args)
    except SetupError as exc:
        print(f"\n[clinic] Cannot continue: {exc}", file=sys.stderr)
        sys.exit(2)
    except subprocess.CalledProcessError as exc:
        print(
            f"\n[clinic] A step failed (exit {exc.returncode}): {' '.join(map(str, exc.cmd))}",
            file=sys.stderr,
        )
        sys.exit(exc.returncode or 1)


if __name__ == "__main__":
    main()
