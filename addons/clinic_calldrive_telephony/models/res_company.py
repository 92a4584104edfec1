from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    clinic_missed_call_minutes = fields.Integer(
        "Call back missed calls within (minutes)",
        default=15,
        help="A missed call's row turns red when nobody called the number back in time.",
    )

    _sql_constraints = [
        (
            "clinic_missed_call_minutes_positive",
            "CHECK (clinic_missed_call_minutes > 0)",
            "The call-back deadline must be at least one minute.",
        ),
    ]
