from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    clinic_recording_retention_days = fields.Integer(
        "Keep call recordings (days)",
        default=90,
        help="Recordings of older calls are deleted every night; 0 keeps them forever.",
    )

    _sql_constraints = [
        (
            "clinic_recording_retention_positive",
            "CHECK (clinic_recording_retention_days >= 0)",
            "The recording retention cannot be negative.",
        ),
    ]
