import secrets

import psycopg2

from odoo import _, api, fields, models
from odoo.addons.clinic_base.tools.public_input import usable_key
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext, plaintext2html

from ..tools import waiting_state as ws

PARAM_GUEST_MESSAGING = "clinic_waiting_room.guest_messaging"
PARAM_LINK_HOURS = "clinic_waiting_room.link_validity_hours"
PARAM_WAIT_THRESHOLD = "clinic_waiting_room.wait_threshold_minutes"
DEFAULT_LINK_HOURS = 12
DEFAULT_WAIT_THRESHOLD = 30
MAX_PATIENT_MESSAGE = 2000
CONVERSATION_LIMIT = 200


STATE_SELECTION = [
    (ws.WAITING, "Waiting"),
    (ws.IN_CONSULTATION, "In consultation"),
    (ws.ON_HOLD, "On hold"),
    (ws.FINISHED, "Finished"),
]


class ClinicWaitingEntry(models.Model):
    """One patient's visit to a virtual waiting room (W1-W7).

    The conversation is a private ``discuss.channel`` whose only member at first
    is the patient as a ``mail.guest``: messages are ordinary ``mail.message``
    records, the guest cookie authenticates the patient page on the bus and the
    video consultation is that channel's Discuss call.
    """

    _name = "clinic.waiting.entry"
    _description = "Waiting-room visit"
    _inherit = ["mail.thread", "clinic.state.mixin"]
    _order = "arrival_dt desc, id desc"
    _rec_name = "patient_id"

    room_id = fields.Many2one(
        "clinic.waiting.room",
        "Waiting room",
        required=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self._default_room(),
    )
    company_id = fields.Many2one(related="room_id.company_id", store=True, index=True)
    patient_id = fields.Many2one(
        "res.partner",
        "Patient",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_patient", "=", True)],
    )
    appointment_id = fields.Many2one(
        "calendar.event", "Appointment", index="btree_not_null", ondelete="set null", copy=False
    )
    state = fields.Selection(
        STATE_SELECTION,
        "Status",
        default=ws.WAITING,
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    arrival_dt = fields.Datetime("Arrival", default=fields.Datetime.now, required=True, copy=False)
    access_token = fields.Char(
        "Link token",
        required=True,
        copy=False,
        readonly=True,
        index=True,
        default=lambda self: secrets.token_urlsafe(32),
        groups="clinic_base.group_clinic_operator",
    )
    expires_at = fields.Datetime("Link valid until", required=True, copy=False, index=True)
    patient_url = fields.Char("Patient link", compute="_compute_patient_url")
    patient_number = fields.Char(
        "Patient's number",
        compute="_compute_patient_number",
        help="Where the link goes by SMS: the patient's number to reach (mobile first).",
    )
    channel_id = fields.Many2one(
        "discuss.channel",
        "Conversation",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    guest_id = fields.Many2one("mail.guest", "Patient guest", readonly=True, copy=False)
    exchange_count = fields.Integer("Messages exchanged", default=0, readonly=True, copy=False)
    last_message_from = fields.Selection(
        [(ws.FROM_CLINIC, "Clinic"), (ws.FROM_PATIENT, "Patient")], readonly=True, copy=False
    )
    last_message_dt = fields.Datetime(readonly=True, copy=False)
    counter_colour = fields.Char(compute="_compute_counter_colour")
    hold_requested = fields.Boolean(readonly=True, copy=False)
    consultant_id = fields.Many2one("res.users", "In call with", readonly=True, copy=False)

    _sql_constraints = [
        ("access_token_unique", "UNIQUE(access_token)", "Patient links must be unique."),
        ("appointment_unique", "UNIQUE(appointment_id)", "An appointment has only one visit."),
    ]

    @api.model
    def _default_room(self):
        return self.env["clinic.waiting.room"].search(
            [("company_id", "in", self.env.companies.ids)], limit=1
        )

    # settings ---------------------------------------------------------------

    def _param(self, key, default):
        # sudo: ir.config_parameter - reading this addon's own fixed keys
        return self.env["ir.config_parameter"].sudo().get_param(key, default)

    @api.model
    def _guest_messaging_enabled(self):
        return bool(self._param(PARAM_GUEST_MESSAGING, False))

    @api.model
    def _wait_threshold_minutes(self):
        return int(self._param(PARAM_WAIT_THRESHOLD, DEFAULT_WAIT_THRESHOLD) or 0)

    @api.model
    def _link_validity_hours(self):
        return int(self._param(PARAM_LINK_HOURS, DEFAULT_LINK_HOURS) or DEFAULT_LINK_HOURS)

    # computes ---------------------------------------------------------------

    @api.depends("patient_id.clinic_phone_ids.number_e164")
    def _compute_patient_number(self):
        rows = self.patient_id._clinic_numbers_to_reach()
        for entry in self:
            row = rows.get(entry.patient_id.id)
            entry.patient_number = row.number_e164 if row else False

    def _phone_get_number_fields(self):
        # The SMS composer texts the number clinic_base's rule picks for the patient.
        return ["patient_number"]

    @api.depends("access_token")
    def _compute_patient_url(self):
        base = self.get_base_url()
        for entry in self:
            # sudo: clinic.waiting.entry - operators build the link they send to the patient
            token = entry.sudo().access_token
            entry.patient_url = f"{base}/clinic/wait/{token}" if token else False

    @api.depends("last_message_from")
    def _compute_counter_colour(self):
        for entry in self:
            entry.counter_colour = ws.counter_colour(entry.last_message_from) or ""

    # creation ---------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        hours = self._link_validity_hours()
        for vals in vals_list:
            vals.setdefault("expires_at", ws.link_expiry(now, hours))
        entries = super().create(vals_list)
        entries._create_conversation()
        entries._notify_staff()
        return entries

    def _create_conversation(self):
        """A private channel per visit with the patient as its guest member."""
        for entry in self:
            # sudo: mail.guest - the patient's persona for this visit only, bound to the entry
            guest = (
                self.env["mail.guest"]
                .sudo()
                .create({"name": entry.patient_id.name, "lang": entry.patient_id.lang})
            )
            # sudo: discuss.channel - a private group channel owned by the visit, whose
            # members are the patient guest and the staff who start a consultation
            channel = (
                self.env["discuss.channel"]
                .sudo()
                .create(
                    {
                        "name": _("Waiting room: %s", entry.patient_id.name),
                        "channel_type": "group",
                    }
                )
            )
            channel._add_members(guests=guest, post_joined_message=False)
            # discuss adds the creating user; staff join only when they start a call (W7)
            channel.channel_member_ids.filtered("partner_id").unlink()
            entry.write({"guest_id": guest.id, "channel_id": channel.id})

    # token access (R3) --------------------------------------------------------

    @api.model
    def _get_by_token(self, token):
        """The live visit behind a patient link, in sudo, or an empty recordset.

        A wrong, expired or malformed token gives nothing; nothing tells them apart.
        """
        if not usable_key(token):
            return self.browse()
        # sudo: clinic.waiting.entry - the caller holds the 256-bit link token, matched
        # exactly by the indexed search (a timing comparison after it would add nothing)
        entry = self.sudo().search([("access_token", "=", token)], limit=1)
        if not entry or ws.is_expired(entry.expires_at, fields.Datetime.now()):
            return self.browse()
        return entry

    # values for the two screens ---------------------------------------------

    def _message_values(self, messages):
        guest_ids = set(self.guest_id.ids)
        return [
            {
                "id": msg.id,
                "from": ws.FROM_PATIENT if msg.author_guest_id.id in guest_ids else ws.FROM_CLINIC,
                # plain text only: both screens render it as text (R3)
                "text": html2plaintext(msg.body or ""),
                "date": fields.Datetime.to_string(msg.date),
            }
            for msg in messages
        ]

    def _conversation_messages(self):
        self.ensure_one()
        # sudo: mail.message - the visit's own channel, reached through an authorised entry
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "discuss.channel"),
                    ("res_id", "=", self.channel_id.id),
                    ("message_type", "=", "comment"),
                ],
                order="id desc",
                limit=CONVERSATION_LIMIT,
            )[::-1]
        )

    def get_conversation(self):
        """Staff side of the notify dialog (W2)."""
        self.ensure_one()
        self.check_access("read")
        return self._message_values(self._conversation_messages())

    def _dashboard_values(self):
        uid = self.env.uid
        now = fields.Datetime.now()
        threshold = self._wait_threshold_minutes()
        return [
            {
                "id": entry.id,
                "patient": entry.patient_id.display_name,
                "state": entry.state,
                "waiting_minutes": int((now - entry.arrival_dt).total_seconds() // 60),
                "wait_level": ws.wait_level(entry.arrival_dt, now, threshold),
                "count": entry.exchange_count,
                "colour": entry.counter_colour,
                "hold": entry.hold_requested,
                "consultant": entry.consultant_id.name or "",
                "locked": bool(entry.consultant_id) and entry.consultant_id.id != uid,
                "channel_id": entry.channel_id.id,
            }
            for entry in self
        ]

    def _patient_state_values(self):
        self.ensure_one()
        return {
            "state": self.state,
            "can_write": self._guest_messaging_enabled() and self.state in ws.OPEN_STATES,
            "video_url": (
                f"/discuss/channel/{self.channel_id.id}"
                if self.state == ws.IN_CONSULTATION
                else False
            ),
        }

    def _patient_page_values(self):
        """Initial data of the patient page: status and their own conversation."""
        self.ensure_one()
        return {
            **self._patient_state_values(),
            "clinic": self.company_id.name,
            "patient": self.patient_id.name,
            "messages": self._message_values(self._conversation_messages()),
        }

    # live updates -------------------------------------------------------------

    def _notify_staff(self):
        """One notification per room with the rows that changed (W1)."""
        for room in self.room_id:
            entries = self.filtered(lambda entry, room=room: entry.room_id == room)
            room._bus_send("clinic_waiting_room/entries", entries._dashboard_values())

    def _notify_patient(self, messages=None):
        """Tell each patient their visit's status; ``messages``, aligned with ``self``,
        are new clinic messages to show."""
        for index, entry in enumerate(self):
            payload = entry._patient_state_values()
            if messages:
                payload["message"] = entry._message_values(messages[index])[0]
            # sudo: mail.guest - the visit's own guest, only they listen on it
            entry.guest_id.sudo()._bus_send("clinic_waiting_room/update", payload)

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

    # messaging ----------------------------------------------------------------

    def _clean_staff_body(self, body):
        body = (body or "").strip()
        if not body:
            raise UserError(_("Write a message first."))
        self.check_access("write")
        return body

    def _post_clinic_message(self, body):
        """W2: a staff message to one visit, as the current user; text only.

        Goes through Discuss' ``message_post`` so staff in the visit's call see it in
        their chat window too; the channel hook counts it and tells the patient.
        """
        self.ensure_one()
        body = self._clean_staff_body(body)
        # sudo: discuss.channel - staff write to the visit's channel without joining it;
        # access to the visit was checked above, the author stays the current user
        return self.channel_id.sudo().message_post(
            body=body,
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _broadcast_clinic_message(self, body):
        """W3: the same staff message to many visits at once (P5: 300 pages in <= 2 s).

        ``message_post`` costs ~60 ms per channel (Discuss' member fan-out, store
        serialisation, mail_bot...), 20 s for 300 visits. The messages are created in
        one batch instead; patients and dashboards are told through this addon's own
        bus notifications. Not done for a broadcast: Discuss chat windows of staff in a
        call and the channels' "last activity" order.
        """
        if not self:
            return self.env["mail.message"]
        body = self._clean_staff_body(body)
        author = self.env.user.partner_id
        subtype = self.env.ref("mail.mt_comment")
        html = plaintext2html(body)
        # sudo: discuss.channel - reply-to addresses of the visits' channels, in one batch
        # (mail.message would compute them one message at a time)
        reply_to = self.channel_id.sudo()._notify_get_reply_to(default=author.email_formatted)
        # sudo: mail.message - comments in the visits' own channels, write access to the
        # visits checked above; author is the current user
        messages = (
            self.env["mail.message"]
            .sudo()
            .create(
                [
                    {
                        "model": "discuss.channel",
                        "res_id": entry.channel_id.id,
                        "body": html,
                        "message_type": "comment",
                        "subtype_id": subtype.id,
                        "author_id": author.id,
                        "email_from": author.email_formatted,
                        "reply_to": reply_to[entry.channel_id.id],
                    }
                    for entry in self
                ]
            )
        )
        self._register_messages(messages, ws.FROM_CLINIC)
        return messages

    def action_notify(self, body):
        self._post_clinic_message(body)
        return True

    def _check_patient_can_write(self):
        """W4: patients write only when the clinic enabled it, while the visit is open."""
        if not self._guest_messaging_enabled():
            raise AccessError(_("This clinic does not accept messages here."))
        if any(entry.state not in ws.OPEN_STATES for entry in self):
            raise AccessError(_("This visit is over."))

    def _patient_post(self, body):
        """Post the patient's text as the visit's guest (always escaped, never HTML)."""
        self.ensure_one()
        self._check_patient_can_write()
        body = (body or "").strip()[:MAX_PATIENT_MESSAGE]
        if not body:
            raise UserError(_("Write a message first."))
        public = self.env.ref("base.public_user")
        channel = self.channel_id.with_user(public).with_context(guest=self.guest_id.sudo(False))
        return channel.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    # status, video and hold (W6, W7, W10) ---------------------------------------

    def _set_state(self, state, **extra):
        self._clinic_check_transition("state", ws.TRANSITIONS, state)
        self.write({"state": state, **extra})
        if state == ws.FINISHED:
            self._revoke_guest_access()
        self._notify_staff()
        self._notify_patient()
        return True

    def _revoke_guest_access(self):
        """R3: once the visit is over, the guest cookie no longer opens its channel
        through Discuss' own routes (the link itself expires on its own)."""
        # sudo: discuss.channel.member - the visits' own guests leave the visits' channels
        members = self.channel_id.sudo().channel_member_ids
        members.filtered(lambda member: member.guest_id in self.guest_id).unlink()

    @api.model
    def _cron_finish_expired(self):
        """R3: visits whose link expired end, and with them the guest's access."""
        expired = self.search(
            [("expires_at", "<=", fields.Datetime.now()), ("state", "!=", ws.FINISHED)]
        )
        expired.action_finish()

    def _lock_for_call(self):
        """Row lock so two staff members cannot start the same consultation at once."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM clinic_waiting_entry WHERE id = %s FOR UPDATE NOWAIT",
                    (self.id,),
                )
        except psycopg2.errors.LockNotAvailable as exc:
            raise UserError(_("A colleague is starting this consultation right now.")) from exc

    def action_start_video(self, force=False):
        """W7: bring the patient into the visit's Discuss call; W10: refuse silently
        when a colleague already holds it unless ``force``."""
        self.ensure_one()
        self.check_access("write")
        self._lock_for_call()
        if self.consultant_id and self.consultant_id != self.env.user and not force:
            return {"locked_by": self.consultant_id.name}
        if self.state != ws.IN_CONSULTATION:
            self._set_state(ws.IN_CONSULTATION, hold_requested=False)
        self.consultant_id = self.env.user
        # sudo: discuss.channel - the operator joins the visit's call they are allowed to run
        self.channel_id.sudo()._add_members(users=self.env.user, post_joined_message=False)
        self._notify_staff()
        return {"channel_id": self.channel_id.id}

    def action_hold(self):
        """W6: mark the current participant "on hold"; takes effect when staff leave."""
        self.ensure_one()
        if self.state != ws.IN_CONSULTATION:
            raise UserError(_("Only a patient in consultation can be put on hold."))
        self.hold_requested = True
        self._notify_staff()
        return True

    def action_leave_call(self):
        """Staff left the consultation (or pressed Leave): on hold or finished (W6)."""
        self._on_staff_left_call()
        return True

    def _on_staff_left_call(self):
        for entry in self.filtered(lambda e: e.state == ws.IN_CONSULTATION):
            entry._end_calls(guests_only=True)
            entry._set_state(
                ws.state_after_call(entry.hold_requested),
                hold_requested=False,
                consultant_id=False,
            )

    def _end_calls(self, guests_only=False):
        """Close the call sessions of the visits' channels (Discuss tells each client)."""
        # sudo: discuss.channel.rtc.session - sessions of the visits' own calls
        sessions = self.channel_id.sudo().rtc_session_ids
        (sessions.filtered("guest_id") if guests_only else sessions).unlink()

    def action_finish(self):
        self._end_calls()  # staff leaving the call may already end the visit (W6)
        return self.filtered(lambda e: e.state != ws.FINISHED)._set_state(
            ws.FINISHED, hold_requested=False, consultant_id=False
        )

    def _mail_get_partner_fields(self, introspect_fields=False):
        # the patient is the recipient of the link, by e-mail or SMS (their mobile first)
        return ["patient_id"]

    def action_send_link_sms(self):
        """Open the SMS composer prefilled with the patient's link, to their mobile."""
        self.ensure_one()
        template = self.env.ref("clinic_waiting_room.sms_template_waiting_link")
        return {
            "type": "ir.actions.act_window",
            "name": _("Send the waiting-room link by SMS"),
            "res_model": "sms.composer",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_composition_mode": "comment",
                "default_template_id": template.id,
            },
        }

    def action_send_link(self):
        """Open the e-mail composer with the patient's link."""
        self.ensure_one()
        template = self.env.ref("clinic_waiting_room.mail_template_waiting_link")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_partner_ids": self.patient_id.ids,
            },
        }
