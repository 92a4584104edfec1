from odoo import fields, models

CONFIRM_MODES = [
    ("state", 'Appointment status "Confirmed"'),
    ("tag", "Tag on the appointment"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    clinic_call_lock_minutes = fields.Integer(
        "Call lock limit (minutes)",
        default=15,
        help="A row locked longer than this is flagged; if its holder has left, it is "
        "released automatically (C4).",
    )
    clinic_call_confirm_mode = fields.Selection(
        CONFIRM_MODES,
        "Record a confirmation as",
        default="state",
        required=True,
        help="What a successful confirmation call changes on the appointment (C3).",
    )
    clinic_call_confirm_tag_id = fields.Many2one(
        "calendar.event.type",
        "Confirmation tag",
        help="Tag added to the appointment when the confirmation mode is a tag.",
    )
