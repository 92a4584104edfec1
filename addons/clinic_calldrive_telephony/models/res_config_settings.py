from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_missed_call_minutes = fields.Integer(
        related="company_id.clinic_missed_call_minutes", readonly=False
    )
