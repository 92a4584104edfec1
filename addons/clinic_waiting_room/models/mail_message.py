from odoo import models


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _message_reaction(self, content, action, partner, guest, store=None):
        # 11.4: a patient reacts to a message only while they may write
        if guest and self.model == "discuss.channel":
            entry = self.env["discuss.channel"].browse(self.res_id)._clinic_visit()
            if entry:
                entry._check_guest_can("post")
        return super()._message_reaction(content, action, partner, guest, store=store)
