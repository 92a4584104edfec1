from odoo import api, models
from odoo.addons.clinic_base.tools import appointment_state as st

# Appointments a confirmation call is still for (C1): booked ones and those the
# patient asked to move (the call moves and confirms them). Confirmed, cancelled
# and past visits need no call.
TO_CONFIRM_STATES = (st.BOOKED, st.RESCHEDULE)


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model
    def _clinic_to_confirm_domain(self, company):
        """Appointments of ``company`` that still wait for their confirmation (C1, C3).

        Whatever the setting, the "Confirmed" status counts (the patient may
        confirm through a reminder link); in tag mode the tag counts as well.
        """
        domain = [("clinic_state", "in", TO_CONFIRM_STATES)]
        tag = company.clinic_call_confirm_tag_id
        if company.clinic_call_confirm_mode == "tag" and tag:
            domain.append(("categ_ids", "not in", tag.ids))
        return domain

    def write(self, vals):
        result = super().write(vals)
        if "clinic_state" in vals or "categ_ids" in vals:
            self._clinic_leave_confirmation_lists()
        return result

    def _clinic_leave_confirmation_lists(self):
        """Appointments confirmed or cancelled elsewhere leave the confirmation lists, live.

        Rows someone is on the phone with stay until they finish them.
        """
        # sudo: clinic.call.list.line - whoever changed the appointment (the
        # patient's response page too) takes its now pointless rows off the lists;
        # only the row state changes, and the bus tells the lists' operators
        lines = (
            self.env["clinic.call.list.line"]
            .sudo()
            .search(
                [
                    ("event_id", "in", self.ids),
                    ("list_kind", "=", "confirmation"),
                    ("state", "=", "todo"),
                    ("lock_user_id", "=", False),
                ]
            )
        )
        settled = lines.browse()
        for company in lines.company_id:
            in_company = lines.filtered(lambda line, c=company: line.company_id == c)
            waiting = in_company.event_id.filtered_domain(self._clinic_to_confirm_domain(company))
            settled |= in_company.filtered(lambda line, w=waiting: line.event_id not in w)
        if settled:
            settled.write({"state": "cancelled"})
            settled.list_id._notify_lock(settled)
