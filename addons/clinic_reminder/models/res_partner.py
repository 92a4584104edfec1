from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    clinic_telegram_chat_id = fields.Char(
        "Telegram chat",
        groups="clinic_base.group_clinic_operator",
        help="Chat id the clinic's bot talks to; set when the patient starts the bot.",
    )
    clinic_messenger_last_inbound = fields.Datetime(
        "Last messenger message from the patient",
        groups="clinic_base.group_clinic_operator",
        help="Opens the messenger's free-text window (C10).",
    )

    def _clinic_reminder_number(self):
        """E.164 number for messages: the mobile first, then any other number."""
        self.ensure_one()
        rows = self.clinic_phone_ids.filtered("number_e164").sorted(
            lambda r: (r.source != "mobile", r.sequence, r.id)
        )
        return rows[:1].number_e164 or False
