from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_call_lock_minutes = fields.Integer(
        related="company_id.clinic_call_lock_minutes", readonly=False
    )
    clinic_call_confirm_mode = fields.Selection(
        related="company_id.clinic_call_confirm_mode", readonly=False
    )
    clinic_call_confirm_tag_id = fields.Many2one(
        related="company_id.clinic_call_confirm_tag_id", readonly=False
    )
