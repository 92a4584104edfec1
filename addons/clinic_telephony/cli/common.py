"""Shared start-up of the telephony commands: Odoo options, registry, PBX lookup."""

import argparse
import sys
from pathlib import Path

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config


def parse(command, args, add_arguments):
    """Split our options from Odoo's (-c, -d, ...) and load Odoo's configuration."""
    parser = argparse.ArgumentParser(
        prog=f"{Path(sys.argv[0]).name} {command.name}",
        description=(command.__doc__ or "").strip(),
    )
    add_arguments(parser)
    options, odoo_args = parser.parse_known_args(args)
    # Quiet by default; a --log-level given on the command line still wins.
    config.parse_config(["--log-level=warn", *odoo_args], setup_logging=True)
    db_name = (config["db_name"] or "").split(",")[0]
    if not db_name:
        parser.error("give the database with -d or db_name in the configuration file")
    return options, odoo.modules.registry.Registry(db_name)


def superuser_env(cr):
    return api.Environment(cr, SUPERUSER_ID, {})


def find_pbx(env, code):
    pbx = env["clinic.pbx"].search([("code", "=", code)], limit=1)
    if not pbx:
        sys.exit(f"No active PBX with code {code!r}; see Clinic > Configuration > Phone systems.")
    return pbx
