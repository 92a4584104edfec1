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

    clinic_telegram_link_url = fields.Char(
        "Telegram link",
        compute="_compute_clinic_telegram_link_url",
        groups="clinic_base.group_clinic_operator",
        help="Give this link to the patient: opening it in Telegram starts the chat with "
        "the clinic's bot, which can then send the reminders (valid 30 days).",
    )

    def _compute_clinic_telegram_link_url(self):
        gateway = self.env.company.clinic_reminder_messenger_gateway_id
        for partner in self:
            partner.clinic_telegram_link_url = bool(
                gateway and partner.is_patient
            ) and gateway._clinic_telegram_link(partner)
