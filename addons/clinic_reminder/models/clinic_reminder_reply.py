from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import reply_intent
from .clinic_reminder_gateway import CHANNELS

INTENTS = [(reply_intent.CONFIRM, "Confirm"), (reply_intent.CANCEL, "Cancel")]
STATES = [
    ("new", "To read"),
    ("confirmed", "Confirmed"),
    ("cancelled", "Cancelled"),
    ("done", "Read"),
]
# Replies kept per message: a longer text is cut (a patient's answer, not a document).
MAX_TEXT = 2000


class ClinicReminderReply(models.Model):
    """A patient's own words in answer to a reminder, by messenger or SMS (C12).

    Matched to the patient and to the reminder they answer, posted on the
    patient's chatter, colouring the reminder row "replied" until someone reads
    it. A clear yes or no is offered as Confirm / Cancel; only a person applies
    it. A reply nobody can match is kept all the same, for staff to read.
    """

    _name = "clinic.reminder.reply"
    _description = "Patient's reply to a reminder"
    _order = "received_date desc, id desc"
    _rec_name = "sender"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    gateway_id = fields.Many2one(
        "clinic.reminder.gateway", required=True, ondelete="cascade", readonly=True
    )
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    sender = fields.Char("From", required=True, readonly=True)
    text = fields.Text(readonly=True)
    received_date = fields.Datetime(
        "Received", required=True, readonly=True, default=fields.Datetime.now
    )
    provider_ref = fields.Char("Provider's id", readonly=True, copy=False)
    partner_id = fields.Many2one("res.partner", "Patient", index="btree_not_null", readonly=True)
    message_id = fields.Many2one("clinic.reminder.message", "Reminder answered", readonly=True)
    event_id = fields.Many2one(
        "calendar.event", "Appointment", index="btree_not_null", readonly=True
    )
    line_id = fields.Many2one("clinic.call.list.line", "Reminder row", readonly=True)
    intent = fields.Selection(
        INTENTS, "Suggested", readonly=True, help="What the reply clearly says, if anything."
    )
    state = fields.Selection(STATES, required=True, default="new", index=True, readonly=True)
    handled_by_id = fields.Many2one("res.users", "Handled by", readonly=True)
    handled_date = fields.Datetime("Handled on", readonly=True)

    _sql_constraints = [
        # The same inbound message delivered twice (webhook retries) is one reply.
        (
            "gateway_ref_uniq",
            "unique(gateway_id, provider_ref)",
            "This message was received already.",
        ),
    ]

    # ------------------------------------------------------------------
    # Receiving
    # ------------------------------------------------------------------

    @api.model
    def _receive(self, gateway, sender, text, reference):
        """Keep one inbound message of ``gateway``; the reply (an existing one if it is
        a repeat of ``reference``). Called with full rights by a verified webhook."""
        if reference:
            known = self.search(
                [("gateway_id", "=", gateway.id), ("provider_ref", "=", reference)], limit=1
            )
            if known:
                return known
        sender = (sender or "").strip()[:64]
        text = (text or "").strip()[:MAX_TEXT]
        message = self._answered_message(gateway, sender)
        partner = message.partner_id or self._sender_patient(gateway, sender)
        reply = self.create(
            {
                "company_id": gateway.company_id.id,
                "gateway_id": gateway.id,
                "channel": gateway.channel,
                "sender": sender,
                "text": text,
                "provider_ref": reference,
                "partner_id": partner.id,
                "message_id": message.id,
                "event_id": message.event_id.id,
                "line_id": message.line_id.id,
                "intent": reply_intent.classify(text) if message else False,
            }
        )
        if partner:
            if gateway.channel == "messenger":
                # C10: the patient's message opens the messenger's free-text window.
                partner.clinic_messenger_last_inbound = reply.received_date
            reply._post_on_chatter()
        reply._notify_rows()
        return reply

    @api.model
    def _address(self, gateway, sender):
        """``sender`` as the gateway's messages name their recipient."""
        if gateway.channel == "messenger":
            return sender
        return self.env["clinic.partner.phone"]._normalize(sender, gateway.company_id) or sender

    @api.model
    def _answered_message(self, gateway, sender):
        """The latest reminder this sender got from the clinic for an appointment to come."""
        today = gateway.company_id._clinic_today()
        return self.env["clinic.reminder.message"].search(
            [
                ("company_id", "=", gateway.company_id.id),
                ("channel", "=", gateway.channel),
                ("recipient", "=", self._address(gateway, sender)),
                ("campaign_id.date", ">=", today),
            ],
            order="id desc",
            limit=1,
        )

    @api.model
    def _sender_patient(self, gateway, sender):
        """The one patient of the gateway's clinic behind ``sender``, if exactly one."""
        Partner = self.env["res.partner"]
        if gateway.channel == "messenger":
            found = Partner.search(
                [
                    ("clinic_telegram_chat_id", "=", sender),
                    ("company_id", "in", [False, gateway.company_id.id]),
                ],
                limit=2,
            )
        else:
            e164 = self._address(gateway, sender)
            found = Partner.browse(
                Partner._clinic_ids_by_e164(e164, limit=2, companies=gateway.company_id)
            )
        return found if len(found) == 1 else Partner

    def _post_on_chatter(self):
        self.ensure_one()
        when = self.message_id.event_id.display_name
        intro = (
            _("Reply to the reminder of %(appointment)s by %(channel)s:", appointment=when,
              channel=dict(CHANNELS)[self.channel])
            if self.message_id
            else _("Message by %(channel)s:", channel=dict(CHANNELS)[self.channel])
        )  # fmt: skip
        # The patient's text is escaped by Markup's % (R3: patient messages are text).
        body = Markup("<p>%s</p><p>%s</p>") % (intro, self.text)
        self.partner_id.message_post(
            body=body,
            author_id=self.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _notify_rows(self):
        lines = self.env["clinic.call.list.line"].search(
            [("event_id", "in", self.event_id.ids), ("list_kind", "in", ("reminder", "followup"))]
        )
        lines._reminder_notify()

    # ------------------------------------------------------------------
    # One click by the operator (C12): never automatic
    # ------------------------------------------------------------------

    def _check_open(self):
        self.ensure_one()
        self.check_access("read")
        if self.state != "new":
            raise UserError(_("This reply was handled already."))

    def _close(self, state, note):
        # sudo: clinic.reminder.reply - the state changes only through these actions;
        # the user may read the reply (checked in _check_open)
        self.sudo().write(
            {
                "state": state,
                "handled_by_id": self.env.uid,
                "handled_date": fields.Datetime.now(),
            }
        )
        if self.partner_id and note:
            self.partner_id.message_post(body=note, subtype_xmlid="mail.mt_note")
        self._notify_rows()

    def _apply(self, response, state):
        self._check_open()
        if not self.event_id:
            raise UserError(_("This reply answers no appointment to come."))
        # With the operator's own rights: who may not change the visit cannot do it here.
        self.event_id._clinic_reminder_respond(response)
        label = dict(INTENTS)[response]
        self._close(
            state,
            _(
                "%(action)s %(appointment)s after the patient's reply, by %(user)s.",
                action=label,
                appointment=self.event_id.display_name,
                user=self.env.user.name,
            ),
        )
        return True

    def action_confirm_appointment(self):
        """Confirm the appointment the reply answers (C12)."""
        return self._apply(reply_intent.CONFIRM, "confirmed")

    def action_cancel_appointment(self):
        """Cancel the appointment the reply answers (C12)."""
        return self._apply(reply_intent.CANCEL, "cancelled")

    def action_mark_read(self):
        """Read, nothing to apply: the row loses its "replied" colour."""
        for reply in self:
            reply._check_open()
            reply._close("done", False)
        return True
