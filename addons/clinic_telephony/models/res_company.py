from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    clinic_telephony_paused = fields.Boolean(
        "Telephony paused",
        help="No call cards and no outgoing calls for this company's users until resumed.",
        groups="clinic_base.group_clinic_manager",  # read by the code with sudo
    )
    # T10: who paused and since when, shown to every operator with the paused state.
    clinic_telephony_paused_by_id = fields.Many2one(
        "res.users", "Telephony paused by", groups="clinic_base.group_clinic_manager"
    )
    clinic_telephony_paused_date = fields.Datetime(
        "Telephony paused since", groups="clinic_base.group_clinic_manager"
    )
    clinic_recording_retention_days = fields.Integer(
        "Keep call recordings (days)",
        default=90,
        help="Recordings of older calls are deleted every night; 0 keeps them forever.",
    )

    def write(self, vals):
        if "clinic_telephony_paused" in vals:
            self.env.registry.clear_cache()  # res.users._clinic_paused_company
        return super().write(vals)

    _sql_constraints = [
        (
            "clinic_recording_retention_positive",
            "CHECK (clinic_recording_retention_days >= 0)",
            "The recording retention cannot be negative.",
        ),
    ]
