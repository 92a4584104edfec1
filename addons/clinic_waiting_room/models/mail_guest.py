from odoo import _, api, models
from odoo.exceptions import AccessError


class MailGuest(models.Model):
    _inherit = "mail.guest"

    @api.model
    def _clinic_is_guest_env(self):
        """Whether the current request acts as a guest (a patient), not as a user."""
        return not self.env.user or self.env.user._is_public()

    def _update_name(self, name):
        # 11.4: a patient's name in the waiting room is the one the clinic knows; a
        # guest renaming themselves (as "Dr. ...") would mislead staff and patients
        # sudo: clinic.waiting.entry - only whether these guests are patients of a visit
        if self.env["clinic.waiting.entry"].sudo().search_count([("guest_id", "in", self.ids)]):
            raise AccessError(_("Your name in the waiting room is set by the clinic."))
        return super()._update_name(name)
