from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    clinic_call_attempt_count = fields.Integer(
        "Call drive attempts",
        compute="_compute_clinic_call_attempt_count",
        groups="clinic_base.group_clinic_operator",
    )

    def _compute_clinic_call_attempt_count(self):
        groups = self.env["clinic.call.attempt"]._read_group(
            [("line_id.partner_id", "in", self.ids)], ["line_id"], ["__count"]
        )
        counts = {}
        for line, count in groups:
            counts[line.partner_id.id] = counts.get(line.partner_id.id, 0) + count
        for partner in self:
            partner.clinic_call_attempt_count = counts.get(partner.id, 0)

    def action_open_clinic_call_attempts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "clinic_calldrive.action_clinic_call_attempt"
        )
        action["domain"] = [("line_id.partner_id", "=", self.id)]
        action["context"] = {}
        return action
