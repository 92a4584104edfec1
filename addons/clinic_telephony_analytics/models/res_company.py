from odoo import fields, models

from ..tools import tags as tag_rules


class ResCompany(models.Model):
    _inherit = "res.company"

    # Switching tags on needs a clinic manager (T9), whoever else may edit companies.
    clinic_call_tags = fields.Boolean(
        "Call tags",
        help="Administrators tag their calls after hanging up.",
        groups="clinic_base.group_clinic_manager",
    )
    clinic_call_tag_mode = fields.Selection(
        [
            (tag_rules.MODE_NO_BOOKING, "Only when no booking was made"),
            (tag_rules.MODE_ALWAYS, "Always"),
        ],
        "Ask for tags",
        default=tag_rules.MODE_NO_BOOKING,
        required=True,
        groups="clinic_base.group_clinic_manager",
    )
