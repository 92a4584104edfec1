from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_waiting_guest_messaging = fields.Boolean(
        related="company_id.clinic_waiting_guest_messaging", readonly=False
    )
    clinic_waiting_link_hours = fields.Integer(
        related="company_id.clinic_waiting_link_hours", readonly=False
    )
    clinic_waiting_threshold = fields.Integer(
        related="company_id.clinic_waiting_threshold", readonly=False
    )
