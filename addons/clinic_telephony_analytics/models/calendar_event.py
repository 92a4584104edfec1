from odoo import api, fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    clinic_call_id = fields.Many2one(
        "clinic.call",
        "Booked during call",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="The call this appointment was booked from (conversion, T7).",
    )

    @api.model
    def default_get(self, fields_list):
        """Link a booking to the user's live call (T7 b and c).

        ``default_clinic_call_id`` from the call card (T7 a) wins. Otherwise
        the call the user is talking on when the form opens is taken: the value
        travels with the form, so a booking saved after hang-up still converts
        the call it was opened under. ``create`` runs ``default_get`` too, so a
        booking made directly in a free slot during the call is linked as well.
        """
        res = super().default_get(fields_list)
        if "clinic_call_id" in fields_list and not res.get("clinic_call_id"):
            call = self.env["clinic.call"]._clinic_live_call(self.env.user)
            if call:
                res["clinic_call_id"] = call.id
        return res
