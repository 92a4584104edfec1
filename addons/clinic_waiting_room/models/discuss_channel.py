from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.addons.mail.tools.discuss import Store
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext, plaintext2html

from ..tools import waiting_state as ws


class DiscussChannel(models.Model):
    """A visit's conversation (W2-W7): a private group channel whose member is the
    patient as a guest; staff join it for the video consultation.

    Like im_livechat's ``livechat_channel_id``, the channel knows its visit: the
    hooks below read that link instead of searching for a visit on every message,
    and the web client gets it with the channel (``_to_store``).
    """

    _inherit = "discuss.channel"

    clinic_waiting_entry_id = fields.Many2one(
        "clinic.waiting.entry",
        "Waiting-room visit",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any("clinic_waiting_entry_id" in vals for vals in vals_list):
            raise AccessError(_("Only the waiting room links a conversation to a visit."))
        return super().create(vals_list)

    def write(self, vals):
        # 11.1: a chat pointed at a visit would reach the patient's page
        if not self.env.su and "clinic_waiting_entry_id" in vals:
            raise AccessError(_("Only the waiting room links a conversation to a visit."))
        return super().write(vals)

    def _clinic_visit(self):
        """The visit of this conversation (in sudo), or an empty recordset."""
        self.ensure_one()
        # sudo: clinic.waiting.entry - the visit of a channel the caller already reached;
        # callers only apply the visit's rules to it
        entry = self.sudo().clinic_waiting_entry_id
        return entry if entry.channel_id == self else entry.browse()

    # creation, revocation, calls ----------------------------------------------

    @api.model
    def _clinic_create_for_visits(self, entries):
        """One private channel per visit with the patient as its only member, a
        ``mail.guest`` of their own (W4). Returns ``{entry: (channel, guest)}``."""
        # sudo: mail.guest - the patient's persona for this visit only, bound to it below
        guests = (
            self.env["mail.guest"]
            .sudo()
            .create(
                [
                    {"name": entry.patient_id.name, "lang": entry.patient_id.lang}
                    for entry in entries
                ]
            )
        )
        vals_list = []
        for entry in entries:
            name = _("Waiting room: %s", entry.patient_id.name)
            vals_list.append(
                {"name": name, "channel_type": "group", "clinic_waiting_entry_id": entry.id}
            )
        # sudo: discuss.channel - private group channels owned by the visits; members are
        # the patient's guest and the staff who start a consultation
        channels = self.sudo().with_context(mail_create_nosubscribe=True).create(vals_list)
        for channel, guest in zip(channels, guests, strict=True):
            channel._add_members(guests=guest, post_joined_message=False)
        # discuss adds the creating user; staff join only when they start a call (W7)
        channels.channel_member_ids.filtered("partner_id").unlink()
        return dict(zip(entries, zip(channels, guests, strict=True), strict=True))

    def _clinic_revoke_guests(self):
        """R3, 11.4: the visit's guest leaves its channel, call included; the guest
        cookie then opens nothing through Discuss' own routes."""
        # sudo: discuss.channel.member - the visits' own guests leave their channels
        members = self.sudo().channel_member_ids.filtered("guest_id")
        members.rtc_session_ids.unlink()
        members.unlink()

    def _clinic_end_call(self, guests_only=False):
        """Close the call sessions (Discuss tells each client)."""
        # sudo: discuss.channel.rtc.session - sessions of the visits' own calls
        sessions = self.sudo().rtc_session_ids
        (sessions.filtered("guest_id") if guests_only else sessions).unlink()

    def _clinic_add_staff(self, user):
        """W7: ``user`` joins the visit's conversation to run its call."""
        # sudo: discuss.channel - the caller checked the user may run this visit's call
        self.sudo()._add_members(users=user, post_joined_message=False)

    # messages -----------------------------------------------------------------

    def _clinic_post_batch(self, body, author):
        """W3: the same staff text as a comment in each of ``self`` in one batch,
        aligned with ``self``.

        Discuss' ``message_post`` costs ~60 ms per channel (member fan-out, store
        serialisation...), 20 s for 300 visits; here the messages are created at
        once. Patients and dashboards hear about them through the waiting room's own
        notifications; chat windows of staff already in a patient's call get
        Discuss' own "new message" notification, as ``_notify_thread`` sends it.
        """
        html = plaintext2html(body)
        subtype = self.env.ref("mail.mt_comment")
        # sudo: discuss.channel - reply-to addresses of these channels, in one batch
        reply_to = self.sudo()._notify_get_reply_to(default=author.email_formatted)
        # sudo: mail.message - comments in the visits' own channels; the caller checked
        # write access to the visits; author is the current user
        messages = (
            self.env["mail.message"]
            .sudo()
            .create(
                [
                    {
                        "model": "discuss.channel",
                        "res_id": channel.id,
                        "body": html,
                        "message_type": "comment",
                        "subtype_id": subtype.id,
                        "author_id": author.id,
                        "email_from": author.email_formatted,
                        "reply_to": reply_to[channel.id],
                    }
                    for channel in self
                ]
            )
        )
        # The channels' activity order, as message_post keeps it; in SQL: the ORM's write
        # would send each channel's header to its members, waking every patient page a
        # second time for nothing (P5)
        self.env.cr.execute(
            "UPDATE discuss_channel SET last_interest_dt = NOW() AT TIME ZONE 'UTC'"
            " WHERE id = ANY(%s)",
            (self.ids,),
        )
        self.invalidate_recordset(["last_interest_dt"])
        # sudo: discuss.channel.member - which conversations have staff in them
        with_staff = self.sudo().channel_member_ids.filtered("partner_id").channel_id
        for channel, message in zip(self, messages, strict=True):
            if channel in with_staff:
                channel._bus_send(
                    "discuss.channel/new_message",
                    {"data": Store(message).get_result(), "id": channel.id},
                )
        return messages

    def message_post(self, *, message_type="notification", **kwargs):
        # W4, 11.4: a guest writes into a visit's channel only while the visit allows
        # it, whatever route they use (the patient page or Discuss' /mail/message/post),
        # and only text: no markup, links or images reach staff, no files.
        if len(self) == 1 and self.env["mail.guest"]._clinic_is_guest_env():
            entry = self._clinic_visit()
            if entry:
                entry._check_guest_can("post")
                if kwargs.get("attachment_ids") or kwargs.get("attachments"):
                    raise UserError(_("Files cannot be sent in the waiting room."))
                kwargs["body"] = _as_text(kwargs.get("body"))
                kwargs.pop("body_is_html", None)
                kwargs.pop("partner_ids", None)
        return super().message_post(message_type=message_type, **kwargs)

    def _message_update_content(
        self, message, body, attachment_ids=None, partner_ids=None, strict=True, **kwargs
    ):
        # 11.4: editing a message is writing one
        if self.env["mail.guest"]._clinic_is_guest_env():
            entry = self._clinic_visit()
            if entry:
                entry._check_guest_can("post")
                if attachment_ids:
                    raise UserError(_("Files cannot be sent in the waiting room."))
                body = None if body is None else _as_text(body)
                partner_ids = None
        return super()._message_update_content(
            message,
            body,
            attachment_ids=attachment_ids,
            partner_ids=partner_ids,
            strict=strict,
            **kwargs,
        )

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "comment" and self.clinic_waiting_entry_id:
            entry = self._clinic_visit()
            if entry:
                from_patient = message.author_guest_id == entry.guest_id
                sender = ws.FROM_PATIENT if from_patient else ws.FROM_CLINIC
                entry._register_messages(message, sender)
        return result

    def _to_store(self, store: Store):
        """The visit of the conversation, for staff's Discuss screens (the call's
        participant menu offers "Hold" from it, W6)."""
        super()._to_store(store)
        if not self.env.user._is_internal():
            return
        for channel in self.filtered("clinic_waiting_entry_id"):
            entry = channel._clinic_visit()
            if entry:
                store.add(
                    channel,
                    {
                        "clinic_waiting_entry_id": entry.id,
                        "clinic_waiting_hold": entry.hold_requested,
                    },
                )


def _as_text(body):
    """A guest's message as escaped text: Discuss' composer sends markup (links,
    mentions); staff must read it as text (11.4, R3)."""
    if isinstance(body, Markup):
        return html2plaintext(body, include_references=False)
    return body or ""
