from odoo import models


class ClinicCall(models.Model):
    _inherit = "clinic.call"

    def _apply_events(self, event, before):
        """Keep the missed-call list in step with the call (T16)."""
        before, after = super()._apply_events(event, before)
        self._missed_call_update(before, after)
        return before, after

    def _missed_call_update(self, before, after):
        """``before``/``after``: the call's ingestion columns around the event."""
        self.ensure_one()
        if after["hidden_number"] or not after["number_e164"]:
            return  # a number nobody may see cannot be called back
        # sudo: clinic.missed.call - kept by ingestion, which runs after authentication.
        MissedCall = self.env["clinic.missed.call"].sudo()
        if after["answer_date"] and not before["answer_date"]:
            MissedCall._connected(
                self.id, after["company_id"], after["number_e164"], after["answer_date"]
            )
        elif after["call_type"] == "missed" and before["state"] not in ("ended", "failed"):
            MissedCall._missed(self)
