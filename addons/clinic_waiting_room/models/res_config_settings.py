from odoo import fields, models

from .clinic_waiting_entry import (
    DEFAULT_LINK_HOURS,
    DEFAULT_WAIT_THRESHOLD,
    PARAM_GUEST_MESSAGING,
    PARAM_LINK_HOURS,
    PARAM_WAIT_THRESHOLD,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_waiting_guest_messaging = fields.Boolean(
        "Guest notifications", config_parameter=PARAM_GUEST_MESSAGING
    )
    clinic_waiting_link_hours = fields.Integer(
        "Link validity (hours)", config_parameter=PARAM_LINK_HOURS, default=DEFAULT_LINK_HOURS
    )
    clinic_waiting_threshold = fields.Integer(
        "Waiting-time threshold (minutes)",
        config_parameter=PARAM_WAIT_THRESHOLD,
        default=DEFAULT_WAIT_THRESHOLD,
    )
