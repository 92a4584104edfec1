from odoo import fields, models


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
