from odoo import _, fields, models


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

    def _clinic_timeline_sources(self):
        """X2: the call-drive attempts on the patient's rows, with their comments."""
        sources = super()._clinic_timeline_sources()
        if self.env["clinic.call.attempt"].has_access("read"):
            sources.append(
                {
                    "channel": "call_drive",
                    "label": _("Call drives"),
                    "rank": 40,
                    "date_field": "start",
                    "fetch": self._clinic_timeline_attempts,
                }
            )
        return sources

    def _clinic_timeline_attempts(self, domain, order, limit):
        attempts = self.env["clinic.call.attempt"].search(
            [("line_id.partner_id", "=", self.id), *domain],
            order=order,
            limit=limit,
        )
        entries = []
        for attempt in attempts:
            entries.append(
                {
                    "id": attempt.id,
                    "date": attempt.start,
                    "model": "clinic.call.list.line",
                    "res_id": attempt.line_id.id,
                    "title": _("Call drive: %s", attempt.list_id.name),
                    "details": [
                        text
                        for text in (attempt.user_id.name, attempt.result_id.name, attempt.comment)
                        if text
                    ],
                }
            )
        return entries
