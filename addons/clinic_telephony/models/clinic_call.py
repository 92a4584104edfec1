import uuid

import phonenumbers

from odoo import _, api, fields, models
from odoo.addons.clinic_base.tools.phone import display
from odoo.exceptions import AccessError, UserError

from ..tools import call_state as cs
from ..tools import events as ev
from .clinic_pbx import PbxError

STATES = [
    (cs.RINGING, "Ringing"),
    (cs.TALKING, "Talking"),
    (cs.ENDED, "Ended"),
    (cs.FAILED, "Failed"),
]
CALL_TYPES = [
    (cs.INCOMING, "Incoming"),
    (cs.OUTGOING, "Outgoing"),
    (cs.MISSED, "Missed"),
    (cs.OUTGOING_UNANSWERED, "Outgoing unanswered"),
]


class ClinicCall(models.Model):
    """One phone call between the clinic and a caller, folded from PBX events (T2, T6)."""

    _name = "clinic.call"
    _description = "Phone call"
    _order = "start_date desc, id desc"
    _rec_name = "number_display"

    # No index of its own: pbx_id leads the unique index pbx_call_uniq (P2, fewer index writes).
    pbx_id = fields.Many2one("clinic.pbx", "PBX", required=True, ondelete="restrict")
    pbx_call_id = fields.Char("PBX call ID", required=True, readonly=True)
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")], required=True, readonly=True
    )
    state = fields.Selection(STATES, required=True, default=cs.RINGING, index=True, readonly=True)
    call_type = fields.Selection(
        CALL_TYPES, "Type", compute="_compute_call_type", store=True, index=True
    )
    number_e164 = fields.Char("Number (E.164)", index="btree_not_null", readonly=True)
    number_display = fields.Char("Number", compute="_compute_number_display")
    hidden_number = fields.Boolean(
        "Hidden number",
        readonly=True,
        help="Call through an aggregator line: the number is never shown.",
    )
    source_code = fields.Char("Aggregator source", readonly=True)
    partner_ids = fields.Many2many("res.partner", string="Matching patients", readonly=True)
    partner_id = fields.Many2one("res.partner", "Patient", index="btree_not_null")
    phone_id = fields.Many2one("clinic.telephony.phone", "Phone", index="btree_not_null")
    user_id = fields.Many2one("res.users", "Administrator", index="btree_not_null")
    start_date = fields.Datetime("Date", required=True, index=True, readonly=True)
    answer_date = fields.Datetime("Answered at", readonly=True)
    end_date = fields.Datetime("Ended at", readonly=True)
    talk_duration = fields.Integer("Talk duration (s)", readonly=True, aggregator="sum")
    recording_url = fields.Char("Recording URL", groups="base.group_system", readonly=True)
    has_recording = fields.Boolean("Recording available", readonly=True)
    event_ids = fields.One2many("clinic.call.event", "call_id", "Events", readonly=True)

    _sql_constraints = [
        ("pbx_call_uniq", "unique (pbx_id, pbx_call_id)", "A PBX call is recorded once."),
    ]

    @api.depends("direction", "state", "answer_date")
    def _compute_call_type(self):
        for call in self:
            call.call_type = cs.call_type(call.direction, call.state, bool(call.answer_date))

    @api.depends("number_e164", "hidden_number")
    def _compute_number_display(self):
        region = self.env.company.country_id.code
        for call in self:
            if call.hidden_number:
                call.number_display = _("Hidden number")
            else:
                call.number_display = display(call.number_e164, region) or _("Unknown number")

    # --- ingestion (called on sudo records by clinic.pbx._clinic_ingest) ----------

    @api.model
    def _clinic_adopt_originate(self, pbx, event):
        """Give a pending click-to-call the PBX's own call id (T5).

        A PBX told of a click-to-call without our id (webhook kind) reports the
        call under an id of its own. Its first event adopts the newest call
        still waiting at the same extension for the same number, instead of
        creating a second call. ``SKIP LOCKED``: a concurrent event of the same
        PBX call waits on the unique key instead and then finds the adopted call.
        """
        number = self.env["clinic.partner.phone"]._normalize(event.remote_number)
        if not number or not event.extension:
            return
        self.flush_model(["pbx_id", "pbx_call_id", "direction", "state", "phone_id", "number_e164"])
        self.env["clinic.telephony.phone"].flush_model(["extension"])
        self.env.cr.execute(
            """
            UPDATE clinic_call SET pbx_call_id = %(new)s
             WHERE id = (
                   SELECT c.id
                     FROM clinic_call c
                     JOIN clinic_telephony_phone ph ON ph.id = c.phone_id
                    WHERE c.pbx_id = %(pbx)s AND c.direction = 'outbound'
                      AND c.state = 'ringing' AND c.pbx_call_id LIKE 'clinic-%%'
                      AND ph.extension = %(ext)s AND c.number_e164 = %(number)s
                      AND NOT EXISTS (SELECT 1 FROM clinic_call o
                                       WHERE o.pbx_id = %(pbx)s AND o.pbx_call_id = %(new)s)
                    ORDER BY c.start_date DESC, c.id DESC
                    LIMIT 1
                      FOR UPDATE OF c SKIP LOCKED)
            """,
            {"new": event.call_id, "pbx": pbx.id, "ext": event.extension, "number": number},
        )
        self.invalidate_model(["pbx_call_id"])

    def _clinic_apply_events(self, event, created):
        """Refold the call from all its events and tell the phone holder (T1, T4)."""
        self.ensure_one()
        vals = {}
        if created:
            vals.update(self._clinic_identify_vals(event))
        if event.extension and not self.phone_id:
            phone = self.env["clinic.telephony.phone"].search(
                [("pbx_id", "=", self.pbx_id.id), ("extension", "=", event.extension)], limit=1
            )
            vals["phone_id"] = phone.id
        phone = self.env["clinic.telephony.phone"].browse(vals.get("phone_id")) or self.phone_id
        if not self.user_id and phone.user_id.clinic_telephony_allowed:
            vals["user_id"] = phone.user_id.id
        folded = cs.fold(self.env["clinic.call.event"]._clinic_fold_input(self))
        old_state = self.state
        refolded = {
            "state": folded.state,
            "start_date": folded.start_date,
            "answer_date": folded.answer_date or False,
            "end_date": folded.end_date or False,
            "talk_duration": folded.talk_duration,
            "recording_url": folded.recording_url or False,
            "has_recording": bool(folded.recording_url),
        }
        # Only what changed: an event that changes nothing (a late "ringing") writes nothing.
        vals.update({name: value for name, value in refolded.items() if self[name] != value})
        if vals:
            self.write(vals)
        if created or folded.state != old_state:
            self._clinic_notify()

    def _clinic_identify_vals(self, event):
        """Caller identification (T3): 0, 1 or 2+ patients with the remote number."""
        Partner = self.env["res.partner"]
        e164 = self.env["clinic.partner.phone"]._normalize(event.remote_number)
        source = event.source and self.env["clinic.pbx.source"].search(
            [("pbx_id", "=", self.pbx_id.id), ("source_code", "=", event.source)], limit=1
        )
        # R6: only patients of the company of the phone that took the call (or shared ones).
        companies = self.pbx_id._caller_companies(event.extension)
        matches = (
            Partner.browse(Partner._clinic_ids_by_e164(e164, limit=20, companies=companies))
            if e164
            else Partner
        )
        return {
            "number_e164": e164 or False,
            "source_code": event.source or False,
            "hidden_number": bool(source and source.hide_number),
            "partner_ids": [(6, 0, matches.ids)],
            "partner_id": matches.id if len(matches) == 1 else False,
        }

    # --- bus ---------------------------------------------------------------------

    def _clinic_notify(self):
        """Send the card to the administrator at the call's phone (only bound users, T1, T10)."""
        cards = []
        for call in self:
            holder = call.user_id or call.phone_id.user_id
            if holder.clinic_telephony_allowed:
                cards.append((holder, call))
        if not cards or self.env["res.users"]._clinic_telephony_paused():
            return
        for holder, call in cards:
            holder.partner_id._bus_send("clinic_telephony/call", call._clinic_card_payload())

    def _clinic_card_payload(self):
        """What the live call card shows (T3, T4); see the API contract in README."""
        self.ensure_one()
        # sudo: clinic.call - the card of a call on the user's own phone; only card fields.
        call = self.sudo()

        def person(partner):
            return {
                "id": partner.id,
                "name": partner.name,
                "birthdate": fields.Date.to_string(partner.birthdate)
                if partner.birthdate
                else False,
            }

        return {
            "id": call.id,
            "state": call.state,
            "call_type": call.call_type,
            "direction": call.direction,
            "number": False if call.hidden_number else call.number_display,
            "hidden_number": call.hidden_number,
            "partner": person(call.partner_id) if call.partner_id else False,
            "candidates": [person(p) for p in call.partner_ids],
            "unknown_patient": len(call.partner_ids) > 1 and not call.partner_id,
            "start_date": fields.Datetime.to_string(call.start_date),
            "answer_date": call.answer_date and fields.Datetime.to_string(call.answer_date),
            "end_date": call.end_date and fields.Datetime.to_string(call.end_date),
            "phone_id": call.phone_id.id,
        }

    # --- card actions (operators without "Call history" act on their own calls) --

    def _clinic_own(self):
        """This call as sudo if it belongs to the current user, else AccessError."""
        self.ensure_one()
        user = self.env.user
        if user.has_group("clinic_telephony.group_call_history"):
            self.check_access("read")
            # sudo: clinic.call - read access was just checked; card actions write the patient.
            return self.sudo()
        # sudo: clinic.call - reads only the owner fields of the call to authorise the user.
        call = self.sudo()
        if user not in (call.user_id | call.phone_id.user_id):
            raise AccessError(_("This call is not one of yours."))
        return call

    def action_choose_patient(self, partner_id):
        """Pick the caller among the matching patients (T3, 2+ matches)."""
        call = self._clinic_own()
        partner = call.partner_ids.filtered(lambda p: p.id == partner_id)
        if not partner:
            raise UserError(_("Choose one of the patients with this number."))
        call.partner_id = partner
        call._clinic_notify()
        return call._clinic_card_payload()

    def action_book_appointment(self):
        """Open the schedule to book the caller (T4); the chosen slot's form is prefilled."""
        call = self._clinic_own()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "clinic_base.action_clinic_appointment"
        )
        context = {"default_clinic_call_id": call.id}
        if call.partner_id:
            context["default_patient_id"] = call.partner_id.id
        action["context"] = context
        action["views"] = sorted(action["views"], key=lambda v: v[1] != "calendar")
        return action

    def action_add_patient(self):
        """Form of a new patient with the caller's number (T4, unknown number)."""
        call = self._clinic_own()
        number = "" if call.hidden_number else call.number_display
        field = "mobile" if self._clinic_is_mobile(call.number_e164) else "phone"
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_is_patient": True, f"default_{field}": number},
        }

    @api.model
    def _clinic_is_mobile(self, e164):
        if not e164:
            return False
        kind = phonenumbers.number_type(phonenumbers.parse(e164, None))
        return kind == phonenumbers.PhoneNumberType.MOBILE

    def action_play_recording(self):
        """Open the access-checked playback route (R5)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/clinic/telephony/recording/{self.id}",
            "target": "new",
        }

    @api.model
    def _recording_url(self, call_id):
        """PBX address of a call's recording, for "Call history" users only (R5).

        Returns False when the call does not exist or has no recording.
        """
        if not self.env.user.has_group("clinic_telephony.group_call_history"):
            raise AccessError(_("Only users with access to the call history can play recordings."))
        call = self.browse(call_id).exists()
        call.check_access("read")
        # sudo: clinic.call - the user may read this call; the raw URL is never sent to the
        # browser, the route redirects to it.
        return call.sudo().recording_url or False

    # --- click-to-call (T5) ----------------------------------------------------------

    @api.model
    def clinic_dial(self, number, partner_id=False):
        """Call ``number`` from the user's phone; return the new call's card payload.

        Refused with a UserError when the user is not linked to telephony, telephony
        is paused, no phone is chosen, the user is already talking, or the number is
        not a phone number. A PBX failure marks the call failed (kept even though
        this transaction rolls back) and raises a UserError.
        """
        user = self.env.user
        Users = self.env["res.users"]
        if not user.clinic_telephony_allowed:
            raise UserError(_("You are not linked to telephony. Ask a manager to link you."))
        if Users._clinic_telephony_paused():
            raise UserError(_("Telephony is paused: outgoing calls are not possible."))
        phone = user.clinic_phone_id
        if not phone:
            raise UserError(_("Choose the phone you work at before calling."))
        # sudo: clinic.call - checks only whether the user has a call in progress.
        if self.sudo().search_count([("user_id", "=", user.id), ("state", "=", cs.TALKING)]):
            raise UserError(_("You are already on a call. Finish it before calling again."))
        e164 = self.env["clinic.partner.phone"]._normalize(number)
        if not e164:
            raise UserError(_("%(number)s is not a valid phone number.", number=number))
        event = ev.CallEvent(
            event_id=f"originate:{uuid.uuid4()}",
            type=ev.ORIGINATE,
            call_id=f"clinic-{uuid.uuid4()}",
            direction="outbound",
            from_number=phone.extension,
            to_number=e164,
            extension=phone.extension,
            timestamp=fields.Datetime.now(),
        )
        pbx = phone.pbx_id
        try:
            pbx._clinic_originate(phone, event.call_id, e164)
        except PbxError as exc:
            self._clinic_record_failed_dial(pbx, event)
            pbx._clinic_raise_pbx_failure(exc)
        # sudo: clinic.pbx - records the user's own call on the user's own phone.
        pbx.sudo()._clinic_ingest(event, None)
        # sudo: clinic.call - the call just created for this user.
        call = self.sudo().search([("pbx_id", "=", pbx.id), ("pbx_call_id", "=", event.call_id)])
        if partner_id in call.partner_ids.ids:
            call.partner_id = partner_id
            call._clinic_notify()
        return call._clinic_card_payload()

    @api.model
    def _clinic_record_failed_dial(self, pbx, event):
        """Keep the failed call in a fresh transaction: the user's one rolls back
        with the UserError. Nothing of this call exists in the user's transaction yet."""
        failed = ev.CallEvent(
            **{**event.__dict__, "event_id": f"{event.event_id}:failed", "type": ev.FAILED}
        )
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr)
            pbx = pbx.with_env(env).sudo()  # sudo: clinic.pbx - the user's own failed call
            pbx._clinic_ingest(event, None)
            pbx._clinic_ingest(failed, None)
