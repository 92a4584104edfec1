"""Databases of their own for the operations checks (O3, O4).

These checks start servers, commit, uninstall: they never touch the suite's
test database. One database with every clinic addon (no demo data) is built
once per run; each check works on a copy (PostgreSQL's CREATE DATABASE ...
TEMPLATE, plus the filestore), dropped afterwards.
"""

import hashlib
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import clinic  # noqa: E402 - tools/clinic.py: the project's own setup


def clone_database(template, dbname):
    """A copy of ``template`` (database and filestore) named ``dbname``."""
    clinic.drop_database(dbname)
    clinic.maintenance_sql(f'CREATE DATABASE "{dbname}" TEMPLATE "{template}"')
    if clinic.filestore(template).exists():
        shutil.copytree(clinic.filestore(template), clinic.filestore(dbname))
    return dbname


@pytest.fixture(scope="session")
def ops_template_db(request):
    """A database with every clinic addon installed, no demo data."""
    name = f"{request.config.getoption('--odoo-database')}_ops"
    clinic.drop_database(name)
    clinic.install_addons(name, demo=False)
    yield name
    clinic.drop_database(name)


@pytest.fixture
def ops_db(ops_template_db, request):
    """A throwaway copy of the template database for one test."""
    # PostgreSQL cuts names at 63 bytes: a short digest keeps every test's apart
    digest = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:10]
    name = f"{ops_template_db[:50]}_{digest}"
    clone_database(ops_template_db, name)
    yield name
    clinic.drop_database(name)
