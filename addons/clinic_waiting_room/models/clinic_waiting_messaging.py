from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

from ..tools import waiting_state as ws

MAX_PATIENT_MESSAGE = 2000
CONVERSATION_LIMIT = 200


class ClinicWaitingMessaging(models.AbstractModel):
    """Messages between the clinic and a waiting patient (W2-W5), for
    ``clinic.waiting.entry``: the counter and its colour, staff messages to one or
    many visits, the patient's own messages and what a guest may do (11.4).

    Messages are ordinary ``mail.message`` records of the visit's channel; the
    channel's hooks (``discuss_channel.py``) count them whatever route posted them.
    """

    _name = "clinic.waiting.messaging"
    _description = "Waiting-room messaging"

    exchange_count = fields.Integer("Messages exchanged", default=0, readonly=True, copy=False)
    last_message_from = fields.Selection(
        [(ws.FROM_CLINIC, "Clinic"), (ws.FROM_PATIENT, "Patient")], readonly=True, copy=False
    )
    last_message_dt = fields.Datetime(readonly=True, copy=False)
    counter_colour = fields.Char(compute="_compute_counter_colour")

    @api.depends("last_message_from")
    def _compute_counter_colour(self):
        for entry in self:
            entry.counter_colour = ws.counter_colour(entry.last_message_from) or ""

    # the conversation -----------------------------------------------------------

    def _message_values(self, messages):
        guest_ids = set(self.guest_id.ids)
        texts = {}  # a broadcast has one body for all (P5)
        values = []
        for msg in messages:
            body = msg.body or ""
            if body not in texts:
                # plain text only: both screens render it as text (R3)
                texts[body] = html2plaintext(body)
            from_patient = msg.author_guest_id.id in guest_ids
            values.append(
                {
                    "id": msg.id,
                    "from": ws.FROM_PATIENT if from_patient else ws.FROM_CLINIC,
                    "text": texts[body],
                    "date": fields.Datetime.to_string(msg.date),
                }
            )
        return values

    def _conversation_messages(self):
        self.ensure_one()
        channel = self._channel()
        # sudo: mail.message - the visit's own channel (checked by _channel)
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "discuss.channel"),
                    ("res_id", "=", channel.id),
                    ("message_type", "=", "comment"),
                ],
                order="id desc",
                limit=CONVERSATION_LIMIT,
            )[::-1]
        )

    def _register_messages(self, messages, sender):
        """Count each visit's new message and colour its counter (W2, W5); ``messages``
        is aligned with ``self``."""
        # an increment in SQL: the patient and staff may write at the same moment
        self.env.cr.execute(
            """UPDATE clinic_waiting_entry
                  SET exchange_count = COALESCE(exchange_count, 0) + 1,
                      last_message_from = %s,
                      last_message_dt = NOW() AT TIME ZONE 'UTC'
                WHERE id = ANY(%s)""",
            (sender, self.ids),
        )
        self.invalidate_recordset(
            ["exchange_count", "last_message_from", "last_message_dt", "counter_colour"]
        )
        self._notify_staff()
        if sender == ws.FROM_CLINIC:
            self._notify_patient(messages)
        else:
            self._notify_watcher()

    def _notify_watcher(self):
        """W5: the room's message watcher hears about every patient message."""
        for entry in self.filtered("room_id.watcher_id"):
            entry.room_id.watcher_id.partner_id._bus_send(
                "simple_notification",
                {
                    "type": "warning",
                    "title": entry.room_id.name,
                    "message": _("New message from %s", entry.patient_id.name),
                },
            )

    # staff write ------------------------------------------------------------------

    def _post_clinic_message(self, body):
        """W2, W3: a staff message to each visit of ``self``, as the current user;
        text only. One batch for any number of visits (P5)."""
        if not self:
            return self.env["mail.message"]
        body = (body or "").strip()
        if not body:
            raise UserError(_("Write a message first."))
        self.check_access("write")
        channels = self.env["discuss.channel"].union(*(entry._channel() for entry in self))
        messages = channels._clinic_post_batch(body, self.env.user.partner_id)
        self._register_messages(messages, ws.FROM_CLINIC)
        return messages

    # what the patient may do (W4, W7, 11.4) ---------------------------------------

    def _guest_refusal(self, capability):
        """Why the patient may not ``capability`` ("post": write, edit or react;
        "call": join the video call) right now, or None. Checked at the moment of
        use: the visit's status, its link's expiry and the clinic's setting."""
        self.ensure_one()
        if self._is_expired() or self.state not in ws.OPEN_STATES:
            return _("This visit is over.")
        if capability == "post" and not self.company_id.clinic_waiting_guest_messaging:
            return _("This clinic does not accept messages here.")
        if capability == "call" and self.state != ws.IN_CONSULTATION:
            return _("The clinic will bring you into the video consultation.")
        return None

    def _check_guest_can(self, capability):
        for entry in self:
            refusal = entry._guest_refusal(capability)
            if refusal:
                raise AccessError(refusal)

    def _patient_post(self, body):
        """Post the patient's text as the visit's guest (always escaped, never HTML)."""
        self.ensure_one()
        body = (body or "").strip()[:MAX_PATIENT_MESSAGE]
        if not body:
            raise UserError(_("Write a message first."))
        public = self.env.ref("base.public_user")
        channel = self._channel().with_user(public).with_context(guest=self.guest_id.sudo(False))
        return channel.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
