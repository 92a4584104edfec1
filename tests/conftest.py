"""Databases of their own for the operations checks (O3, O4).

These checks start servers, commit, uninstall: they never touch the suite's
test database. One database with every clinic addon (no demo data) is built
once per run; each check works on a copy (PostgreSQL's CREATE DATABASE ...
TEMPLATE, plus the filestore), dropped afterwards.
"""

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import clinic  # noqa: E402 - tools/clinic.py: the project's own setup


def filestore(dbname):
    return Path.home() / ".local/share/Odoo/filestore" / dbname


def drop(dbname):
    clinic.drop_database(dbname)
    shutil.rmtree(filestore(dbname), ignore_errors=True)


def clone_database(template, dbname):
    """A copy of ``template`` (database and filestore) named ``dbname``."""
    drop(dbname)
    conn = clinic.pg_connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{dbname}" TEMPLATE "{template}"')
    finally:
        conn.close()
    if filestore(template).exists():
        shutil.copytree(filestore(template), filestore(dbname))
    return dbname


@pytest.fixture(scope="session")
def ops_template_db(request):
    """A database with every clinic addon installed, no demo data."""
    name = f"{request.config.getoption('--odoo-database')}_ops"
    drop(name)
    clinic.install_addons(name, demo=False)
    yield name
    drop(name)


@pytest.fixture
def ops_db(ops_template_db, request):
    """A throwaway copy of the template database for one test."""
    name = f"{ops_template_db}_{request.node.name[:20].lower()}"
    clone_database(ops_template_db, name)
    yield name
    drop(name)
