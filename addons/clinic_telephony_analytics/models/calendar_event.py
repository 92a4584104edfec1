from odoo import _, api, fields, models
from odoo.exceptions import AccessError


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
            call = self.env["clinic.call"]._live_call(self.env.user)
            if call:
                res["clinic_call_id"] = call.id
        return res

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        # After the defaults: a call id can come in the values or in the context.
        for call_id in set(events.sudo().clinic_call_id.ids):
            self._clinic_check_call_link(call_id)
        return events

    def write(self, vals):
        # Conversion is set when the booking is made, by the booking itself (11.6).
        if "clinic_call_id" in vals and not self.env.su:
            raise AccessError(_("The call an appointment was booked from cannot be changed."))
        return super().write(vals)

    @api.model
    def _clinic_check_call_link(self, call_id):
        """A booking converts only a call of the user who books it (T7, 11.6).

        The call id travels with the booking form from the card or the live
        call (``default_get``); any other id a client sends is refused, so
        nobody can credit a booking to a call they did not handle.
        """
        if self.env.su:
            return
        # sudo: clinic.call - reads who handled the call the booking claims.
        call = self.env["clinic.call"].sudo().browse(call_id).exists()
        if call.user_id != self.env.user:
            raise AccessError(_("An appointment can only be linked to one of your own calls."))
