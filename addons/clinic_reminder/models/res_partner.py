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

    def _clinic_reminder_number(self):
        """E.164 number for messages: the mobile first, then any other number."""
        self.ensure_one()
        return self._clinic_reminder_numbers().get(self.id, False)

    def _clinic_reminder_numbers(self):
        """``{partner id: E.164 number}`` for messages, in one query for the batch (P4)."""
        rows = self.env["clinic.partner.phone"].search_fetch(
            [("partner_id", "in", self.ids), ("number_e164", "!=", False)],
            ["partner_id", "source", "number_e164"],
            order="sequence, id",
        )
        numbers = {}
        # The mobile first, then the other numbers in their order.
        for row in rows.sorted(lambda r: r.source != "mobile"):
            numbers.setdefault(row.partner_id.id, row.number_e164)
        return numbers
