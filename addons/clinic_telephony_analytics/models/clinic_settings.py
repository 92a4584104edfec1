from odoo import fields, models


class ClinicSettings(models.TransientModel):
    """Call analytics block of the clinic settings: call tags (T9, a manager's switch)."""

    _inherit = "clinic.settings"

    clinic_call_tags = fields.Boolean(related="company_id.clinic_call_tags", readonly=False)
    clinic_call_tag_mode = fields.Selection(
        related="company_id.clinic_call_tag_mode",
        readonly=False,
        help="Only when no booking was made: the call ended without an appointment. Always: "
        "after every call, even when an appointment was booked. The popup follows a "
        "conversation: missed and unanswered calls are not tagged.",
    )
