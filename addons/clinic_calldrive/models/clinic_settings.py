from odoo import fields, models


class ClinicSettings(models.TransientModel):
    """Call drives block of the clinic settings: confirmation rule and row locks (C3, C4)."""

    _inherit = "clinic.settings"

    clinic_call_lock_minutes = fields.Integer(
        related="company_id.clinic_call_lock_minutes", readonly=False
    )
    clinic_call_confirm_mode = fields.Selection(
        related="company_id.clinic_call_confirm_mode", readonly=False
    )
    clinic_call_confirm_tag_id = fields.Many2one(
        related="company_id.clinic_call_confirm_tag_id", readonly=False
    )
