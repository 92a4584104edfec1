#!/usr/bin/env python3
"""Set up, run and test the clinic addons with one command each.

    python3 tools/clinic.py setup   # prerequisites + database "clinic" with demo data
    python3 tools/clinic.py run     # setup, then serve http://localhost:8069
    python3 tools/clinic.py test    # fresh test database, every test incl. Chromium tours
    python3 tools/clinic.py lint    # ruff + pylint-odoo
    python3 tools/clinic.py bench   # benchmarks of SPEC section P
    python3 tools/clinic.py env     # only prepare the virtualenv; print its interpreter

Everything runs inside a virtualenv (SPEC O1): an active one (``VIRTUAL_ENV``, or
this script started by a virtualenv's interpreter) is used as it is; otherwise
the project's ``.venv`` is created with the interpreter that started this script
and the script re-executes itself inside it. The interpreter that started it is
never modified, so PEP 668 ("externally managed") system Pythons work.

Every step is idempotent. A missing prerequisite stops with a message that names
the fix instead of a traceback. Environment:

    ODOO_SRC    Odoo 18 source (directory or .tar.gz/.zip) to install into the
                virtualenv when it cannot import Odoo 18. Remembered in
                ~/.cache/clinic, so later runs and fresh clones find it without it.
                Without it: the remembered one, else the source the starting
                interpreter's own Odoo 18 was installed from, else Odoo's
                official 18.0 archive.
    PG*         the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD).
    CLINIC_DB   database for `setup`/`run` (default: clinic).
    TEST_DB     database for `test` (default: clinic_test).
"""

import argparse
import getpass
import hashlib
import json
import os
import re
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
ADDONS_DIR = ROOT / "addons"
VENV = ROOT / ".venv"
# Which interpreter created .venv (recreated when another one is named).
BASE_MARK = "clinic-base-python"
# Per user, outside every clone: the remembered Odoo source, unpacked archives.
USER_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clinic"
OFFICIAL_ODOO_ARCHIVE = "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
# python-ldap only serves auth_ldap and needs system LDAP headers.
SKIPPED_ODOO_REQUIREMENTS = ("python-ldap",)
LANGUAGES = "ru_RU,de_DE"
LINTED = ("addons", "tools", "tests", "bench", "deploy", "conftest.py")


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


# --- Virtualenv (SPEC O1) ---------------------------------------------------


def in_virtualenv():
    return sys.prefix != sys.base_prefix


def venv_python(venv):
    return Path(venv) / "bin" / "python"


def create_venv(base_python):
    """Create ``.venv`` with ``base_python``; the base interpreter is only read."""
    say(f"Creating the project's virtualenv {VENV} with {base_python}")
    shutil.rmtree(VENV, ignore_errors=True)
    probe = subprocess.run(
        [base_python, "-m", "venv", VENV], capture_output=True, text=True, check=False
    )
    if probe.returncode and "ensurepip" in probe.stdout + probe.stderr:
        # Debian and Ubuntu ship venv's pip bootstrap in a separate package.
        shutil.rmtree(VENV, ignore_errors=True)
        apt_install("python3-venv", "the project's virtualenv")
        probe = subprocess.run(
            [base_python, "-m", "venv", VENV], capture_output=True, text=True, check=False
        )
    if probe.returncode or not venv_python(VENV).exists():
        shutil.rmtree(VENV, ignore_errors=True)
        raise SetupError(
            f"{base_python} could not create a virtualenv:\n  {probe.stderr.strip()}\n"
            "Install the venv module (Debian/Ubuntu: apt-get install python3-venv) or name "
            "another interpreter: make setup PYTHON=/path/to/python3"
        )
    (VENV / BASE_MARK).write_text(base_python + "\n")


def enter_virtualenv():
    """Re-execute this script inside a virtualenv unless it already runs in one.

    An active virtualenv (``VIRTUAL_ENV``) is the user's choice; else ``.venv``
    is (re)created for the interpreter that started us and used from then on.
    """
    if in_virtualenv():
        return
    active = os.environ.get("VIRTUAL_ENV")
    if active and venv_python(active).exists():
        target = venv_python(active)
    else:
        base = os.path.realpath(sys.executable)
        mark = VENV / BASE_MARK
        if not (venv_python(VENV).exists() and mark.exists() and mark.read_text().strip() == base):
            check_python_version()
            create_venv(base)
        target = venv_python(VENV)
    os.execv(str(target), [str(target), str(Path(__file__).resolve()), *sys.argv[1:]])


def check_python_version():
    if not ((3, 10) <= sys.version_info[:2] <= (3, 12)):
        raise SetupError(
            f"Odoo 18 needs Python 3.10-3.12; {sys.executable} is {sys.version.split()[0]}. "
            "Name another interpreter: make setup PYTHON=python3.11"
        )


def pip_install(args, constraints=True):
    env = dict(os.environ)
    if constraints:
        # Some of Odoo's pinned sdists only build with an older setuptools.
        cfile = venv_state_dir() / "pip-constraints.txt"
        cfile.write_text("setuptools<70\n")
        env["PIP_CONSTRAINT"] = str(cfile)
    # pip's own wheel cache (~/.cache/pip) stays on: a fresh clone reinstalls from it.
    run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *args], env=env)


def venv_state_dir():
    """Where the virtualenv remembers what was installed into it (goes with it)."""
    path = Path(sys.prefix) / "clinic-state"
    path.mkdir(exist_ok=True)
    return path


def installed_once(name, digest, install):
    """Run ``install`` unless the same ``digest`` was installed into this virtualenv."""
    stamp = venv_state_dir() / f"{name}.sha256"
    if stamp.exists() and stamp.read_text() == digest:
        return
    install()
    stamp.write_text(digest)


# --- Odoo -----------------------------------------------------------------


def odoo_version(python=None):
    probe = subprocess.run(
        [python or sys.executable, "-c", "import odoo.release as r; print(r.version_info[0])"],
        capture_output=True,
        text=True,
        cwd="/",
        check=False,
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


def source_version(path):
    """Odoo's major version of the source tree at ``path``, or None."""
    release = Path(path) / "odoo" / "release.py"
    if not (Path(path) / "setup.py").is_file() or not release.is_file():
        return None
    match = re.search(r"^version_info\s*=\s*\((\d+)", release.read_text(), re.M)
    return match and match.group(1)


def base_interpreter():
    mark = Path(sys.prefix) / BASE_MARK
    if mark.exists():
        return mark.read_text().strip()
    return getattr(sys, "_base_executable", None)


def base_interpreter_odoo_source():
    """The source directory the base interpreter's own Odoo was installed from.

    pip records it in the distribution's ``direct_url.json`` (PEP 610) for an
    install from a local directory, editable or not.
    """
    python = base_interpreter()
    if not python or not Path(python).exists():
        return None
    probe = subprocess.run(
        [
            python,
            "-c",
            "import importlib.metadata as m; print(m.distribution('odoo')"
            ".read_text('direct_url.json') or '')",
        ],
        capture_output=True,
        text=True,
        cwd="/",
        check=False,
    )
    try:
        url = json.loads(probe.stdout or "{}").get("url", "")
    except ValueError:
        return None
    return url[len("file://") :] if url.startswith("file://") else None


def unpack_odoo_source(src):
    """Return a directory holding Odoo's setup.py, unpacking archives once per user."""
    if src.startswith(("http://", "https://")):
        target = USER_CACHE / "odoo-src.tar.gz"
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
    path = Path(src).expanduser().resolve()
    if path.is_dir():
        return path
    if not path.exists():
        raise SetupError(f"ODOO_SRC={src} does not exist.")
    stat = path.stat()
    key = hashlib.sha256(f"{path}:{stat.st_size}:{stat.st_mtime}".encode()).hexdigest()[:16]
    dest = USER_CACHE / f"odoo-src-{key}"
    if not dest.exists():
        tmp = Path(tempfile.mkdtemp(prefix="odoo-src-", dir=USER_CACHE))
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                archive.extractall(tmp)
        elif tarfile.is_tarfile(path):
            with tarfile.open(path) as archive:
                archive.extractall(tmp, filter="data")
        else:
            shutil.rmtree(tmp)
            raise SetupError(f"ODOO_SRC={src} is neither a directory nor a .tar.gz/.zip archive.")
        tmp.rename(dest)
    setups = list(dest.glob("*/setup.py")) + list(dest.glob("setup.py"))
    if not setups:
        raise SetupError(f"No setup.py found in {src}: is it Odoo's source?")
    return setups[0].parent


def odoo_source():
    """An Odoo 18 source directory to install into the virtualenv, remembered per user."""
    USER_CACHE.mkdir(parents=True, exist_ok=True)
    remembered = USER_CACHE / "odoo-src"
    given = os.environ.get("ODOO_SRC")
    if given:
        source = unpack_odoo_source(given)
    elif remembered.exists() and source_version(remembered.read_text().strip()) == "18":
        return Path(remembered.read_text().strip())
    else:
        source = base_interpreter_odoo_source()
        if not source or source_version(source) != "18":
            source = unpack_odoo_source(OFFICIAL_ODOO_ARCHIVE)
        source = Path(source)
    if source_version(source) != "18":
        raise SetupError(f"{source} is not an Odoo 18 source tree (odoo/release.py, setup.py).")
    if not os.access(source, os.W_OK):
        # An editable install writes odoo.egg-info next to setup.py: work on a
        # per-user copy of a read-only tree (made once, shared by every clone).
        copy = USER_CACHE / ("odoo-copy-" + hashlib.sha256(str(source).encode()).hexdigest()[:16])
        if not copy.exists():
            say(f"{source} is read-only: copying it to {copy} once")
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("build", "*.pyc"))
        source = copy
    remembered.write_text(f"{source}\n")
    return source


def ensure_odoo():
    version = odoo_version()
    if version == "18":
        return
    if version:
        raise SetupError(
            f"{sys.prefix} imports Odoo {version}, but these addons need Odoo 18. "
            "Use another virtualenv (or remove .venv) or uninstall it there (pip uninstall odoo)."
        )
    source = odoo_source()
    say(f"Installing Odoo 18 from {source} into {sys.prefix} (editable)")
    reqs = venv_state_dir() / "odoo-requirements.txt"
    lines = (source / "requirements.txt").read_text().splitlines()
    reqs.write_text(
        "\n".join(
            line for line in lines if not line.strip().lower().startswith(SKIPPED_ODOO_REQUIREMENTS)
        )
    )
    pip_install(["-r", reqs])
    # Editable: nothing of Odoo's 1 GB is copied per clone. "compat" puts the
    # source directory itself on sys.path, where odoo/__init__.py extends the
    # odoo namespace to site-packages: addon wheels (odoo/addons/<name>) are found.
    pip_install(["--no-deps", "-e", str(source), "--config-settings", "editable_mode=compat"])
    if odoo_version() != "18":
        raise SetupError(
            "Odoo was installed but `import odoo` still fails; see pip's output above."
        )


def ensure_requirements(*names):
    for name in names:
        req = ROOT / name
        digest = hashlib.sha256(req.read_bytes()).hexdigest()
        # Not under the build constraint: requirements.txt asks for a newer setuptools.
        installed_once(name, digest, lambda req=req: pip_install(["-r", req], constraints=False))


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


def maintenance_sql(statement):
    """Run one statement outside a transaction (CREATE/DROP DATABASE)."""
    conn = pg_connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(statement)
    finally:
        conn.close()


def filestore(dbname):
    """Odoo's default filestore of ``dbname`` (odoo.conf sets no data_dir)."""
    return Path.home() / ".local/share/Odoo/filestore" / dbname


def drop_database(dbname):
    """Drop ``dbname`` (WITH (FORCE): PostgreSQL 13+) and its filestore."""
    maintenance_sql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    shutil.rmtree(filestore(dbname), ignore_errors=True)


# --- System packages (Chromium, wkhtmltopdf) ------------------------------


def apt_install(package, purpose):
    """Install Debian's ``package`` when we are root on a Debian-like system."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    say(f"Installing Debian's {package} package ({purpose})")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    run(["apt-get", "install", "-y", "-qq", package], env=env)
    return True


def ensure_system_package(package, binaries, purpose):
    """Make sure one of ``binaries`` is on PATH, installing Debian's ``package`` as root."""
    if any(shutil.which(name) for name in binaries):
        return
    if apt_install(package, purpose) and any(shutil.which(name) for name in binaries):
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


def ensure_deploy_tools():
    ensure_system_package("nginx", ("nginx",), "the deploy and two-node checks (O2, O3)")
    ensure_system_package("openssl", ("openssl",), "the two-node check's TLS (O3)")


def ensure_wkhtmltopdf():
    ensure_system_package("wkhtmltopdf", ("wkhtmltopdf",), "PDF reports")


# --- Odoo commands --------------------------------------------------------


def odoo_launcher():
    # Odoo's launcher rather than ``-m odoo``: with workers, Odoo starts its
    # websocket (gevent) process by re-executing sys.argv[0].
    launcher = Path(sys.executable).with_name("odoo")
    return [sys.executable, *([str(launcher)] if launcher.is_file() else ["-m", "odoo"])]


def odoo_cmd(*args):
    return [*odoo_launcher(), "-c", CONF, *args]


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


def prerequisites(testing=False):
    check_python_version()
    ensure_odoo()
    ensure_requirements("requirements.txt")
    ensure_postgres()
    ensure_wkhtmltopdf()
    if testing:  # tours in Chromium, nginx for the deploy checks
        ensure_chromium()
        ensure_deploy_tools()


def cmd_env(_args):
    check_python_version()
    ensure_odoo()
    ensure_requirements("requirements.txt")
    print(sys.executable)


def cmd_setup(args):
    prerequisites()
    install_or_update(args.db, demo=True, languages=LANGUAGES)
    say(f"Database {args.db} is ready")


def cmd_run(args):
    cmd_setup(args)
    say("Serving http://localhost:8069 (login admin / admin); Ctrl+C stops")
    os.chdir(ROOT)
    os.execv(sys.executable, odoo_cmd("-d", args.db, f"--db-filter=^{args.db}$"))


def cmd_lint(_args):
    check_python_version()
    ensure_odoo()  # pylint-odoo imports the addons' odoo imports
    ensure_requirements("requirements-dev.txt")
    os.chdir(ROOT)
    bindir = Path(sys.executable).parent
    paths = [p for p in LINTED if (ROOT / p).exists()]
    run([bindir / "ruff", "check", *paths])
    run([bindir / "ruff", "format", "--check", *paths])
    addons = [str(p.parent) + "/" for p in sorted(ADDONS_DIR.glob("*/__manifest__.py"))]
    run([sys.executable, "-m", "pylint", "--rcfile=.pylintrc", *addons])


def cmd_bench(args):
    prerequisites()
    os.chdir(ROOT)
    script = ROOT / "bench" / "run.py"
    os.execv(sys.executable, [sys.executable, str(script), *args.words])


def cmd_demo_calls(args):
    check_python_version()
    ensure_odoo()
    ensure_requirements("requirements.txt")
    os.chdir(ROOT)
    # Odoo reads --addons-path before the subcommand, then the subcommand's options.
    os.execv(
        sys.executable,
        [
            *odoo_launcher(),
            "--addons-path=addons",
            "clinic-simulate",
            "-c",
            str(CONF),
            "-d",
            args.db,
            *args.rest,
        ],
    )


def cmd_test(args):
    prerequisites(testing=True)
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
    clinic_db = os.environ.get("CLINIC_DB", "clinic")
    for name, func, default_db in (
        ("setup", cmd_setup, clinic_db),
        ("run", cmd_run, clinic_db),
        ("test", cmd_test, os.environ.get("TEST_DB", "clinic_test")),
        ("demo-calls", cmd_demo_calls, clinic_db),
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
    sub.add_parser("env").set_defaults(func=cmd_env)
    sub.add_parser("lint").set_defaults(func=cmd_lint)
    p = sub.add_parser("bench")
    p.add_argument("words", nargs="*", help="run the benchmarks whose name contains a word")
    p.set_defaults(func=cmd_bench)
    # demo-calls passes the options it does not know on to Odoo's clinic-simulate
    args, unknown = parser.parse_known_args()
    if unknown and args.command != "demo-calls":
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    args.rest = unknown
    try:
        enter_virtualenv()
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
