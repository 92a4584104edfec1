from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_LINK_HOURS = 12
DEFAULT_WAIT_THRESHOLD = 30


class ResCompany(models.Model):
    """Waiting-room settings of each clinic (issue 15.9), shown in Settings for the
    current company."""

    _inherit = "res.company"

    clinic_waiting_guest_messaging = fields.Boolean(
        "Guest notifications",
        help="Patients may write to the clinic from their waiting-room page (W4).",
    )
    clinic_waiting_link_hours = fields.Integer(
        "Link validity (hours)",
        default=DEFAULT_LINK_HOURS,
        help="Hours a personal waiting-room link stays valid after it was created (R3).",
    )
    clinic_waiting_threshold = fields.Integer(
        "Waiting-time threshold (minutes)",
        default=DEFAULT_WAIT_THRESHOLD,
        help="Minutes after which a caller's waiting time turns darker (W9); 0: never.",
    )

    @api.constrains("clinic_waiting_link_hours", "clinic_waiting_threshold")
    def _check_clinic_waiting_settings(self):
        for company in self:
            if company.clinic_waiting_link_hours <= 0:
                raise ValidationError(_("A waiting-room link must stay valid at least an hour."))
            if company.clinic_waiting_threshold < 0:
                raise ValidationError(_("The waiting-time threshold cannot be negative."))
