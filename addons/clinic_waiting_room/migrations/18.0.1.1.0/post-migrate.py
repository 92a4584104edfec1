"""Waiting-room settings move from global parameters to each company (issue 15.9).

Every company starts with the values the database had; the parameters go.
"""

from odoo import SUPERUSER_ID, api

PARAMS = {
    "clinic_waiting_room.guest_messaging": "clinic_waiting_guest_messaging",
    "clinic_waiting_room.link_validity_hours": "clinic_waiting_link_hours",
    "clinic_waiting_room.wait_threshold_minutes": "clinic_waiting_threshold",
}


def _value(field_name, raw):
    if field_name == "clinic_waiting_guest_messaging":
        return raw.strip().lower() not in ("", "0", "false")
    return int(raw)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"].search([("key", "in", list(PARAMS))])
    vals = {}
    for param in params:
        field_name = PARAMS[param.key]
        try:
            vals[field_name] = _value(field_name, param.value or "")
        except ValueError:
            continue  # an unreadable number keeps the company's default
    if vals.get("clinic_waiting_link_hours", 1) <= 0:
        vals.pop("clinic_waiting_link_hours")
    if vals.get("clinic_waiting_threshold", 0) < 0:
        vals.pop("clinic_waiting_threshold")
    if vals:
        env["res.company"].with_context(active_test=False).search([]).write(vals)
    params.unlink()
