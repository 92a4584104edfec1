import secrets

import psycopg2

from odoo import _, api, fields, models
from odoo.addons.clinic_base.tools.public_input import usable_key
from odoo.exceptions import AccessError, UserError

from ..tools import waiting_state as ws

STATE_SELECTION = [
    (ws.WAITING, "Waiting"),
    (ws.IN_CONSULTATION, "In consultation"),
    (ws.ON_HOLD, "On hold"),
    (ws.FINISHED, "Finished"),
]

#: 11.1: fields that carry access or record what happened; only the visit's own
#: methods write them (in sudo), never a user's ``write``
PROTECTED_FIELDS = (
    "access_token",
    "arrival_dt",
    "channel_id",
    "checkin_dt",
    "consent_text",
    "consultant_id",
    "device_status",
    "exchange_count",
    "expires_at",
    "guest_id",
    "hold_requested",
    "last_message_dt",
    "last_message_from",
    "left_dt",
    "presence",
    "state",
)
#: chosen when the visit is created, then fixed: the link was made for them
FIXED_FIELDS = ("patient_id", "room_id")


class ClinicWaitingEntry(models.Model):
    """One patient's visit to a virtual waiting room (W1-W13).

    The conversation is a private ``discuss.channel`` that knows its visit
    (``discuss_channel.py``); its member is the patient as a ``mail.guest``, whose
    cookie authenticates the patient page on the bus and in the video call.
    Messaging lives in ``clinic.waiting.messaging``, presence and check-in in
    ``clinic.waiting.presence``.
    """

    _name = "clinic.waiting.entry"
    _description = "Waiting-room visit"
    _inherit = [
        "mail.thread",
        "clinic.state.mixin",
        "clinic.waiting.messaging",
        "clinic.waiting.presence",
    ]
    _order = "arrival_dt desc nulls last, id desc"
    _rec_name = "patient_id"
    _check_company_auto = True

    room_id = fields.Many2one(
        "clinic.waiting.room",
        "Waiting room",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        default=lambda self: self._default_room(),
    )
    company_id = fields.Many2one(related="room_id.company_id", store=True, index=True)
    patient_id = fields.Many2one(
        "res.partner",
        "Patient",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
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
        readonly=True,
    )
    status = fields.Selection(
        [
            (ws.INVITED, "Not arrived"),
            (ws.WAITING, "Waiting"),
            (ws.LEFT, "Left"),
            (ws.IN_CONSULTATION, "In consultation"),
            (ws.ON_HOLD, "On hold"),
            (ws.FINISHED, "Finished"),
        ],
        "Shown as",
        compute="_compute_status",
        store=True,
        index=True,
        help="The status, unless the patient's page is not open: not arrived yet, or left.",
    )
    access_token = fields.Char(
        "Link token",
        required=True,
        copy=False,
        readonly=True,
        index=True,
        default=lambda self: secrets.token_urlsafe(32),
        groups="clinic_base.group_clinic_operator",
    )
    expires_at = fields.Datetime(
        "Link valid until", required=True, copy=False, index=True, readonly=True
    )
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
    guest_id = fields.Many2one(
        "mail.guest", "Patient guest", readonly=True, copy=False, index="btree_not_null"
    )
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

    # computes ---------------------------------------------------------------

    @api.depends("state", "presence")
    def _compute_status(self):
        for entry in self:
            entry.status = ws.display_status(entry.state, entry.presence)

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

    # creation and the fields users may not write (11.1) ------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_user_vals(vals, PROTECTED_FIELDS)
        now = fields.Datetime.now()
        Room = self.env["clinic.waiting.room"]
        for vals in vals_list:
            room = Room.browse(vals["room_id"]) if vals.get("room_id") else self._default_room()
            # R3: the link lives as long as the room's clinic says
            company = room.company_id or self.env.company
            vals.setdefault("expires_at", ws.link_expiry(now, company.clinic_waiting_link_hours))
        entries = super().create(vals_list)
        conversations = self.env["discuss.channel"]._clinic_create_for_visits(entries)
        for entry, (channel, guest) in conversations.items():
            # sudo: clinic.waiting.entry - the visit's own conversation and guest (11.1)
            entry.sudo().write({"channel_id": channel.id, "guest_id": guest.id})
        entries._schedule_expiry()
        entries._notify_staff()
        return entries

    def write(self, vals):
        if not self.env.su:
            self._check_user_vals(vals, PROTECTED_FIELDS + FIXED_FIELDS)
        return super().write(vals)

    def _check_user_vals(self, vals, protected):
        """11.1: refuse, with the fields' names, what only the visit's methods set."""
        refused = sorted(set(vals) & set(protected))
        if refused:
            labels = ", ".join(
                self._fields[name].get_description(self.env)["string"] for name in refused
            )
            raise AccessError(
                _(
                    "These fields of a waiting-room visit are set by the waiting room "
                    "itself and cannot be edited: %s",
                    labels,
                )
            )

    def unlink(self):
        # sudo: discuss.channel - the deleted visits' own conversations and guests go too
        channels, guests = self.channel_id.sudo(), self.guest_id.sudo()
        result = super().unlink()
        channels.unlink()
        guests.unlink()
        return result

    def _channel(self):
        """The visit's conversation, checked to belong to it (11.1): full-rights
        operations act on this channel only."""
        self.ensure_one()
        # sudo: discuss.channel - reading the link back from the channel
        channel = self.channel_id.sudo()
        if channel.clinic_waiting_entry_id != self:
            raise AccessError(_("This conversation does not belong to the visit."))
        return channel

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
        if not entry or entry._is_expired():
            return self.browse()
        return entry

    def _is_expired(self):
        self.ensure_one()
        return ws.is_expired(self.expires_at, fields.Datetime.now())

    def _schedule_expiry(self):
        """R3, 11.4: the visit ends, and its guest leaves the conversation, when the
        link expires: the clean-up job runs at the earliest expiry."""
        cron = self.env.ref("clinic_waiting_room.ir_cron_finish_expired_visits")
        # sudo: ir.cron.trigger - scheduling this addon's own clean-up job
        cron.sudo()._trigger(at=sorted(set(self.mapped("expires_at"))))

    @api.model
    def _cron_finish_expired(self):
        """R3: visits whose link expired end, and with them the guest's access."""
        expired = self.search(
            [("expires_at", "<=", fields.Datetime.now()), ("state", "!=", ws.FINISHED)]
        )
        expired.action_finish()

    # the two screens and their live updates -------------------------------------

    def _dashboard_values(self, alert=None):
        """Rows of the staff dashboard (W1, W5, W8-W12). The waiting time and its
        colour are the dashboard's to compute from ``arrival`` on its own clock."""
        uid = self.env.uid
        return [
            {
                "id": entry.id,
                # the name, not display_name: no company prefix to compute per row (P5)
                "patient": entry.patient_id.name,
                "state": entry.state,
                "status": entry.status,
                "arrival": fields.Datetime.to_string(entry.arrival_dt) or False,
                "count": entry.exchange_count,
                "colour": entry.counter_colour,
                "hold": entry.hold_requested,
                "consultant": entry.consultant_id.name or "",
                "locked": bool(entry.consultant_id) and entry.consultant_id.id != uid,
                "channel_id": entry.channel_id.id,
                "device": entry.device_status or "",
                "checked_in": bool(entry.checkin_dt),
                # W8: "arrived"/"returned" for the dashboards to announce
                "alert": alert or False,
            }
            for entry in self
        ]

    def _notify_staff(self, alert=None):
        """One notification per room with the rows that changed (W1)."""
        self.company_id._clinic_wallboard_changed("rooms")
        for room in self.room_id:
            entries = self.filtered(lambda entry, room=room: entry.room_id == room)
            room._bus_send("clinic_waiting_room/entries", entries._dashboard_values(alert))

    def _patient_state_values(self):
        self.ensure_one()
        return {
            "state": self.state,
            "presence": self.presence,
            "can_write": not self._guest_refusal("post"),
            "video_url": (
                f"/discuss/channel/{self.channel_id.id}"
                if self.state == ws.IN_CONSULTATION
                else False
            ),
        }

    def _patient_page_values(self):
        """Initial data of the patient page: check-in, opening hours, status and their
        own conversation."""
        self.ensure_one()
        now = fields.Datetime.now()
        closed = self._closed_to_patient(now)
        return {
            **self._patient_state_values(),
            "clinic": self.company_id.name,
            "patient": self.patient_id.name,
            "closed": closed,
            "next_opening": self.room_id._next_opening_values(now) if closed else False,
            "checked_in": bool(self.checkin_dt),
            "consent": self._consent_to_show(),
            "device": self.device_status or "",
            "messages": [] if closed else self._message_values(self._conversation_messages()),
        }

    def _notify_patient(self, messages=None):
        """Tell each patient what changed: their visit's status, or, with ``messages``
        (aligned with ``self``), the clinic's new message. A message changes no
        status: its notification carries the message alone (P5: a broadcast to 300
        visits builds 300 small payloads, not 300 status checks)."""
        values = self._message_values(messages) if messages else None
        for index, entry in enumerate(self):
            payload = {"message": values[index]} if messages else entry._patient_state_values()
            # sudo: mail.guest - the visit's own guest, only they listen on it
            entry.guest_id.sudo()._bus_send("clinic_waiting_room/update", payload)

    # what staff do (W2, W6, W7, W10) ---------------------------------------------

    def get_conversation(self):
        """Staff side of the notify dialog (W2)."""
        self.ensure_one()
        self.check_access("read")
        return self._message_values(self._conversation_messages())

    def action_notify(self, body):
        self._post_clinic_message(body)
        return True

    def _set_state(self, state, **extra):
        self._clinic_check_transition("state", ws.TRANSITIONS, state)
        # sudo: clinic.waiting.entry - the status moves through these methods only (11.1)
        self.sudo().write({"state": state, **extra})
        if state == ws.FINISHED:
            for entry in self:
                entry._channel()._clinic_revoke_guests()
        self._notify_staff()
        self._notify_patient()
        return True

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
        channel = self._channel()
        self._lock_for_call()
        if self.consultant_id and self.consultant_id != self.env.user and not force:
            return {"locked_by": self.consultant_id.name}
        if self.state != ws.IN_CONSULTATION:
            self._set_state(ws.IN_CONSULTATION, hold_requested=False)
        # sudo: clinic.waiting.entry - who runs the call is set here only (11.1)
        self.sudo().consultant_id = self.env.user
        channel._clinic_add_staff(self.env.user)
        self._notify_staff()
        return {"channel_id": channel.id}

    def action_hold(self):
        """W6: mark the current participant "on hold"; takes effect when staff leave."""
        self.ensure_one()
        self.check_access("write")
        if self.state != ws.IN_CONSULTATION:
            raise UserError(_("Only a patient in consultation can be put on hold."))
        # sudo: clinic.waiting.entry - set here only (11.1)
        self.sudo().hold_requested = True
        self._notify_staff()
        return True

    def action_leave_call(self):
        """Staff left the consultation (or pressed Leave): on hold or finished (W6)."""
        self.check_access("write")
        self._on_staff_left_call()
        return True

    def _on_staff_left_call(self):
        for entry in self.filtered(lambda e: e.state == ws.IN_CONSULTATION):
            entry._channel()._clinic_end_call(guests_only=True)
            entry._set_state(
                ws.state_after_call(entry.hold_requested),
                hold_requested=False,
                consultant_id=False,
            )

    def action_finish(self):
        self.check_access("write")
        for entry in self:
            # staff leaving the call may already end the visit (W6)
            entry._channel()._clinic_end_call()
        return self.filtered(lambda e: e.state != ws.FINISHED)._set_state(
            ws.FINISHED, hold_requested=False, consultant_id=False
        )

    # the patient's link ---------------------------------------------------------

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
