from odoo import models

from ..tools import waiting_state as ws


class DiscussChannel(models.Model):
    _inherit = "discuss.channel"

    def _clinic_waiting_entry(self):
        self.ensure_one()
        # sudo: clinic.waiting.entry - only used to apply the visit's rules to its channel
        return (
            self.env["clinic.waiting.entry"].sudo().search([("channel_id", "=", self.id)], limit=1)
        )

    def message_post(self, *, message_type="notification", **kwargs):
        # W4: a guest writes into a waiting-room channel only when the clinic allows it,
        # whatever route they use (our page or Discuss' generic /mail/message/post).
        if len(self) == 1 and (not self.env.user or self.env.user._is_public()):
            entry = self._clinic_waiting_entry()
            if entry:
                entry._check_patient_can_write()
        return super().message_post(message_type=message_type, **kwargs)

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "comment":
            entry = self._clinic_waiting_entry()
            if entry:
                from_patient = message.author_guest_id == entry.guest_id
                sender = ws.FROM_PATIENT if from_patient else ws.FROM_CLINIC
                entry._register_messages(message, sender)
        return result
