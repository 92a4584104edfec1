from odoo import fields, models


class ClinicSettings(models.TransientModel):
    """Missed calls block of the clinic settings: the call-back deadline (T16)."""

    _inherit = "clinic.settings"

    clinic_missed_call_minutes = fields.Integer(
        related="company_id.clinic_missed_call_minutes", readonly=False
    )
