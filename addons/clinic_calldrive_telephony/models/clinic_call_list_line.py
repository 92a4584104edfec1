from odoo import _, models
from odoo.exceptions import UserError


class ClinicCallListLine(models.Model):
    _inherit = "clinic.call.list.line"

    def _can_dial(self):
        """Linked to telephony, at a phone this shift, telephony not paused (C2, T5, T10)."""
        user = self.env.user
        # sudo: res.users - reads only the user's own phone of the shift
        return bool(
            user.clinic_telephony_allowed
            and user.sudo().clinic_phone_id
            and not user._clinic_telephony_paused()
        )

    def _dial(self):
        """Click-to-call the row's number; a refusal rolls the row lock back too."""
        if not self._can_dial():
            return super()._dial()
        card = self.env["clinic.call"].dial(self.phone, partner_id=self.partner_id.id)
        if card["state"] == "failed":
            raise UserError(card["failure"])  # the PBX refused: the row is not held either
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": _(
                    "Calling %(patient)s at %(number)s…",
                    patient=self.partner_id.name,
                    number=self.phone,
                ),
            },
        }
