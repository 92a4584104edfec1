from odoo import _, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    clinic_call_count = fields.Integer("Calls", compute="_compute_clinic_call_count")

    def _compute_clinic_call_count(self):
        """Calls of each patient the viewer may read (record rules decide, R6)."""
        Call = self.env["clinic.call"]
        counts = {}
        if Call.has_access("read"):
            counts = dict(
                Call._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
            )
        for partner in self:
            partner.clinic_call_count = counts.get(partner, 0)

    def _clinic_timeline_sources(self):
        """X2: the patient's calls, only for "Call history" (an operator's own calls
        stay in the call card and the operator's history, not on the patient)."""
        sources = super()._clinic_timeline_sources()
        if self.env.user.has_group("clinic_telephony.group_call_history"):
            sources.append(
                {
                    "channel": "call",
                    "label": _("Calls"),
                    "rank": 10,
                    "date_field": "start_date",
                    "fetch": self._clinic_timeline_calls,
                }
            )
        return sources

    def _clinic_timeline_calls(self, domain, order, limit):
        Call = self.env["clinic.call"]
        calls = Call.search([("partner_id", "=", self.id), *domain], order=order, limit=limit)
        types = dict(Call._fields["call_type"]._description_selection(self.env))
        details = calls._timeline_details()
        entries = []
        for call in calls:
            entries.append(
                {
                    "id": call.id,
                    "date": call.start_date,
                    "model": "clinic.call",
                    "res_id": call.id,
                    "title": types.get(call.call_type) or _("Call"),
                    "details": details[call.id],
                    "url": call.has_recording and f"/clinic/telephony/recording/{call.id}",
                }
            )
        return entries
