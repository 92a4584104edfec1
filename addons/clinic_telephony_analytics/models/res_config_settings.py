from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Guarded by the manager group at field level (T9: enabling tags needs a
    # manager right), on top of the settings page being manager-only.
    clinic_call_tags = fields.Boolean(
        "Call tags",
        related="company_id.clinic_call_tags",
        readonly=False,
        groups="clinic_base.group_clinic_manager",
    )
    clinic_call_tag_mode = fields.Selection(
        string="Ask for tags",
        help="Only when no booking was made: the call ended without an appointment. Always: "
        "after every call, even when an appointment was booked. The popup follows a "
        "conversation: missed and unanswered calls are not tagged.",
        related="company_id.clinic_call_tag_mode",
        readonly=False,
        groups="clinic_base.group_clinic_manager",
    )
