from odoo import fields, models


class ClinicSettings(models.TransientModel):
    """Waiting room block of the clinic settings (issue 17.1)."""

    _inherit = "clinic.settings"

    clinic_waiting_guest_messaging = fields.Boolean(
        related="company_id.clinic_waiting_guest_messaging", readonly=False
    )
    clinic_waiting_link_hours = fields.Integer(
        related="company_id.clinic_waiting_link_hours", readonly=False
    )
    clinic_waiting_threshold = fields.Integer(
        related="company_id.clinic_waiting_threshold", readonly=False
    )
