from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import telegram_link

# Days a Telegram link stays usable (R3: links expire); each link works once (11.3).
TELEGRAM_LINK_DAYS = 30
# Who receives the patient's reminders and links: set by the bot's verified webhook
# and confirmed by staff through the actions below, never by a plain write (11.3).
TELEGRAM_FIELDS = {
    "clinic_telegram_chat_id",
    "clinic_telegram_pending_chat_id",
    "clinic_telegram_nonce",
    "clinic_telegram_nonce_date",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    clinic_telegram_chat_id = fields.Char(
        "Telegram chat",
        groups="clinic_base.group_clinic_operator",
        readonly=True,
        copy=False,
        help="Chat id the clinic's bot talks to; set when the patient starts the bot.",
    )
    clinic_telegram_pending_chat_id = fields.Char(
        "Telegram chat to confirm",
        groups="clinic_base.group_clinic_operator",
        readonly=True,
        copy=False,
        help="Another Telegram chat opened this patient's link while the patient was "
        "linked already: the clinic confirms it (or not) with the patient.",
    )
    # 11.3: the one-time part of the patient's current link; spent when it links a chat.
    clinic_telegram_nonce = fields.Char(
        "Telegram link nonce", groups="base.group_system", copy=False
    )
    clinic_telegram_nonce_date = fields.Datetime(
        "Telegram link issued on", groups="base.group_system", copy=False
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
        "the clinic's bot, which can then send the reminders (works once, valid 30 days).",
    )

    def _clinic_check_telegram_fields(self, vals_list):
        if not self.env.su and any(TELEGRAM_FIELDS.intersection(vals) for vals in vals_list):
            raise AccessError(
                _("A patient's Telegram chat changes only through the bot's link and its checks.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._clinic_check_telegram_fields(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._clinic_check_telegram_fields([vals])
        return super().write(vals)

    def _compute_clinic_telegram_link_url(self):
        gateway = self.env.company.clinic_reminder_messenger_gateway_id
        for partner in self:
            partner.clinic_telegram_link_url = bool(
                gateway and partner.is_patient
            ) and gateway._telegram_link(partner)

    def _clinic_telegram_nonce_valid(self):
        self.ensure_one()
        # sudo: res.partner - the link's nonce is technical, never shown
        partner = self.sudo()
        issued = partner.clinic_telegram_nonce_date
        return bool(
            partner.clinic_telegram_nonce
            and issued
            and issued + timedelta(days=TELEGRAM_LINK_DAYS) >= fields.Datetime.now()
        )

    def _clinic_telegram_ensure_link(self):
        """A usable one-time link for each patient among ``self`` (a new one if spent)."""
        # sudo: res.partner - writes the technical nonce of the link being offered
        stale = self.sudo().filtered(
            lambda p: p.is_patient and not p._clinic_telegram_nonce_valid()
        )
        for partner in stale:
            partner.write(
                {
                    "clinic_telegram_nonce": telegram_link.new_nonce(),
                    "clinic_telegram_nonce_date": fields.Datetime.now(),
                }
            )

    def action_clinic_telegram_new_link(self):
        """Patient form: a fresh one-time Telegram link (the previous one stops working)."""
        self.check_access("write")
        # sudo: res.partner - clears the technical nonce; the user may edit the patient
        self.sudo().write({"clinic_telegram_nonce": False})
        self._clinic_telegram_ensure_link()
        return True

    def _clinic_telegram_link_chat(self, chat_id):
        """A genuine, unspent link was opened in ``chat_id`` (11.3).

        The nonce is spent whatever happens. A free chat and an unlinked patient
        are linked at once; otherwise the chat is only proposed to the clinic,
        which confirms it with the patient: a link that leaked cannot silently
        take over a patient's reminders. Returns ``"linked"`` or ``"proposed"``.
        """
        self.ensure_one()
        # sudo: res.partner - technical linking on behalf of the verified bot webhook
        patient = self.sudo()
        vals = {"clinic_telegram_nonce": False, "clinic_telegram_nonce_date": False}
        taken = self.sudo().search(
            [("clinic_telegram_chat_id", "=", chat_id), ("id", "!=", patient.id)], limit=1
        )
        if patient.clinic_telegram_chat_id in (False, chat_id) and not taken:
            vals.update(
                clinic_telegram_chat_id=chat_id,
                clinic_messenger_last_inbound=fields.Datetime.now(),
                clinic_telegram_pending_chat_id=False,
            )
            patient.write(vals)
            return "linked"
        vals["clinic_telegram_pending_chat_id"] = chat_id
        patient.write(vals)
        patient.message_post(
            body=_(
                "Another Telegram chat opened this patient's link. Confirm it on the patient "
                "form only after checking with the patient."
            ),
            subtype_xmlid="mail.mt_note",
        )
        return "proposed"

    def action_clinic_telegram_confirm_chat(self):
        """Staff checked with the patient: the proposed chat gets the reminders (11.3)."""
        self.ensure_one()
        self.check_access("write")
        # sudo: res.partner - reads and moves the technical chat ids of this patient
        patient = self.sudo()
        chat_id = patient.clinic_telegram_pending_chat_id
        if not chat_id:
            raise UserError(_("No Telegram chat waits for confirmation."))
        if self.sudo().search_count(
            [("clinic_telegram_chat_id", "=", chat_id), ("id", "!=", patient.id)]
        ):
            raise UserError(_("This Telegram chat receives another patient's reminders."))
        patient.write(
            {"clinic_telegram_chat_id": chat_id, "clinic_telegram_pending_chat_id": False}
        )
        patient.message_post(
            body=_("Telegram chat confirmed by %(user)s.", user=self.env.user.name),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_clinic_telegram_reject_chat(self):
        """The patient did not open that chat: forget it."""
        self.ensure_one()
        self.check_access("write")
        # sudo: res.partner - clears the technical pending chat id of this patient
        self.sudo().clinic_telegram_pending_chat_id = False
        return True

    # --- communication timeline (X2) ---------------------------------------------

    def _clinic_timeline_sources(self):
        """X2: the reminders sent to the patient and the patient's replies."""
        sources = super()._clinic_timeline_sources()
        label = _("Reminders")
        if self.env["clinic.reminder.message"].has_access("read"):
            sources.append(
                {
                    "channel": "reminder",
                    "label": label,
                    "rank": 20,
                    "date_field": "create_date",
                    "fetch": self._clinic_timeline_reminders,
                }
            )
        if self.env["clinic.reminder.reply"].has_access("read"):
            sources.append(
                {
                    "channel": "reminder",
                    "label": label,
                    "rank": 21,
                    "date_field": "received_date",
                    "fetch": self._clinic_timeline_replies,
                }
            )
        return sources

    def _clinic_timeline_reminders(self, domain, order, limit):
        Message = self.env["clinic.reminder.message"]
        messages = Message.search(
            [("partner_id", "=", self.id), *domain],
            order=order,
            limit=limit,
        )
        channels = dict(Message._fields["channel"]._description_selection(self.env))
        states = dict(Message._fields["state"]._description_selection(self.env))
        entries = []
        for message in messages:
            entries.append(
                {
                    "id": message.id,
                    "date": message.create_date,
                    "model": "clinic.reminder.message",
                    "res_id": message.id,
                    "title": _("Reminder by %s", channels.get(message.channel, message.channel)),
                    "details": [states.get(message.state, message.state), message.body or ""],
                }
            )
        return entries

    def _clinic_timeline_replies(self, domain, order, limit):
        Reply = self.env["clinic.reminder.reply"]
        replies = Reply.search(
            [("partner_id", "=", self.id), *domain],
            order=order,
            limit=limit,
        )
        channels = dict(Reply._fields["channel"]._description_selection(self.env))
        states = dict(Reply._fields["state"]._description_selection(self.env))
        entries = []
        for reply in replies:
            entries.append(
                {
                    "id": reply.id,
                    "date": reply.received_date,
                    "model": "clinic.reminder.reply",
                    "res_id": reply.id,
                    "title": _("Reply by %s", channels.get(reply.channel, reply.channel)),
                    "details": [reply.text or "", states.get(reply.state, reply.state)],
                }
            )
        return entries
