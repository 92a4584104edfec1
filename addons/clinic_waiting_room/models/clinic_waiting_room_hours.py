from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class ClinicWaitingRoomHours(models.Model):
    """One opening period of a waiting room on a weekday, in the clinic's time zone (W13)."""

    _name = "clinic.waiting.room.hours"
    _description = "Waiting-room opening hours"
    _order = "room_id, weekday, hour_from"

    room_id = fields.Many2one("clinic.waiting.room", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="room_id.company_id", store=True)
    weekday = fields.Selection(WEEKDAYS, "Day", required=True, default="0")
    hour_from = fields.Float("From", required=True, default=8.0)
    hour_to = fields.Float("To", required=True, default=18.0)

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for hours in self:
            if not 0 <= hours.hour_from < hours.hour_to <= 24:
                raise ValidationError(
                    _("Opening hours run from 00:00 to 24:00 and end after they start.")
                )
