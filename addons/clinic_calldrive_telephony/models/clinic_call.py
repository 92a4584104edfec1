from odoo import models


class ClinicCall(models.Model):
    _inherit = "clinic.call"

    def _apply_events(self, event, created):
        """Keep the missed-call list in step with the call (T16)."""
        answered, finished = bool(self.answer_date), self.state in ("ended", "failed")
        res = super()._apply_events(event, created)
        self._missed_call_update(answered, finished)
        return res

    def _missed_call_update(self, was_answered, was_finished):
        self.ensure_one()
        if self.hidden_number or not self.number_e164:
            return  # a number nobody may see cannot be called back
        # sudo: clinic.missed.call - kept by ingestion, which runs after authentication.
        MissedCall = self.env["clinic.missed.call"].sudo()
        if self.answer_date and not was_answered:
            MissedCall._connected(self)
        elif self.call_type == "missed" and not was_finished:
            MissedCall._missed(self)
