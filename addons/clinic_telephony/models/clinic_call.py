import base64
import logging
from datetime import timedelta

import phonenumbers

from odoo import _, api, fields, models
from odoo.addons.clinic_base.tools.phone import display
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import call_state as cs
from ..tools import commands, recordings
from ..tools import events as ev

_logger = logging.getLogger(__name__)

STATES = [
    (cs.RINGING, "Ringing"),
    (cs.TALKING, "Talking"),
    (cs.ENDED, "Ended"),
    (cs.FAILED, "Failed"),
]
RECORDING_STATES = [
    ("none", "None"),
    ("pending", "Being fetched"),
    ("stored", "Stored"),
    ("failed", "Could not be fetched"),
    ("purged", "Deleted after the retention period"),
]
RECORDING_ATTEMPTS = 5
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
    # The clinic of the call: its desk phone's company once the phone is known, else its
    # PBX's (the webhook's insert sets that in SQL, see clinic.call.event._claim).
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        precompute=True,
    )
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
    ring_phone_ids = fields.Many2many(
        "clinic.telephony.phone",
        "clinic_call_ring_phone_rel",
        "call_id",
        "phone_id",
        "Also rang at",
        readonly=True,
        help="Other desk phones that rang for this call (ARI ring group).",
    )
    # Whether ring_phone_ids has anything: read with the call's row, it spares a query
    # on the many2many for the many calls that rang at one phone (P6).
    ring_group = fields.Boolean("Rang at several phones", readonly=True)
    user_id = fields.Many2one("res.users", "Administrator", index="btree_not_null")
    start_date = fields.Datetime("Date", required=True, index=True, readonly=True)
    answer_date = fields.Datetime("Answered at", readonly=True)
    end_date = fields.Datetime("Ended at", readonly=True)
    talk_duration = fields.Integer("Talk duration (s)", readonly=True, aggregator="sum")
    # The PBX's address of the recording: fetched by Odoo, never shown to a browser (T15).
    recording_url = fields.Char("Recording URL", groups="base.group_system", readonly=True)
    recording_state = fields.Selection(
        RECORDING_STATES, "Recording", default="none", required=True, readonly=True, index=True
    )
    recording_file = fields.Binary(
        "Recording file", attachment=True, groups="base.group_system", copy=False, readonly=True
    )
    recording_mimetype = fields.Char(readonly=True, groups="base.group_system")
    recording_attempts = fields.Integer(readonly=True, groups="base.group_system")
    recording_next_try = fields.Datetime(readonly=True, groups="base.group_system")
    recording_error = fields.Char("Recording problem", readonly=True)
    has_recording = fields.Boolean("Recording available", readonly=True)
    failure_reason = fields.Char(
        "Failure", readonly=True, help="Why the phone system could not place this call."
    )
    lost = fields.Boolean(
        readonly=True,
        help="The phone system never reported the end of this call: it was closed after the "
        "PBX's time limit.",
    )
    event_ids = fields.One2many(
        "clinic.call.event",
        "call_id",
        "Events",
        readonly=True,
        groups="clinic_base.group_clinic_manager",
    )

    _sql_constraints = [
        ("pbx_call_uniq", "unique (pbx_id, pbx_call_id)", "A PBX call is recorded once."),
    ]

    @api.depends("pbx_id")
    def _compute_company_id(self):
        for call in self:
            call.company_id = call.pbx_id.company_id

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

    # --- ingestion (called on sudo records by clinic.pbx._ingest) ----------

    def _apply_events(self, event, before):
        """Refold the call from all its events and tell the phone holders (T1, T2, T4).

        ``before``: the call as ``clinic.call.event._claim`` read it, with all its
        events. Returns ``(before, after)``: the call's columns the ingestion reads
        (those of the ``clinic_call_claim`` function's result) before and after
        the event, for overrides.

        P6: no ORM record is loaded. The fold happens in Python
        (``tools.call_state``) and one statement writes what changed; stored
        fields of other addons that depend on those columns are recomputed by
        the ORM as after any write (``modified``).
        """
        self.ensure_one()
        created = before["created"]
        vals = {}
        if created:
            vals.update(self._identify_vals(event, before))
        vals.update(self._phone_vals(event, before))
        phone = vals.get("phone_id") or before["phone_id"]
        holder = before["holders"].get(phone)
        if "user_id" not in vals and not before["user_id"] and holder in before["allowed"]:
            vals["user_id"] = holder
        folded = cs.fold(before["events"])
        refolded = {
            "state": folded.state,
            "start_date": folded.start_date,
            "answer_date": folded.answer_date,
            "end_date": folded.end_date,
            "talk_duration": folded.talk_duration,
            "recording_url": folded.recording_url or None,
            "lost": folded.lost,
        }
        # Only what changed: an event that changes nothing (a late "ringing") writes nothing.
        vals.update({name: value for name, value in refolded.items() if before[name] != value})
        after = dict(before, **vals)
        after["call_type"] = cs.call_type(
            after["direction"], after["state"], bool(after["answer_date"])
        )
        if after["call_type"] != before["call_type"]:
            vals["call_type"] = after["call_type"]
        if vals.get("recording_url"):
            # A (newer) recording: fetched into Odoo by the cron, outside this transaction.
            vals.update(recording_state="pending", recording_attempts=0, recording_error=None)
            self.env.ref("clinic_telephony.ir_cron_fetch_recordings")._trigger()
        if vals:
            self._write_ingested(dict(vals))
        if created or after["state"] != before["state"] or "ring_add" in vals:
            ring = (set(before["ring_phone_ids"]) | set(vals.get("ring_add", ()))) - set(
                vals.get("ring_remove", ())
            )
            holders = cs.card_holders(
                after["user_id"],
                before["holders"].get(after["phone_id"]),
                [before["holders"].get(p) for p in sorted(ring)] if after["ring_group"] else (),
                before["allowed"],
            )
            self._send_card(holders, after["company_id"])
        return before, after

    def _write_ingested(self, vals):
        """Write ingestion values in one statement, then tell the ORM what changed.

        ``partner_ids``: ids of the matching patients of a new call;
        ``ring_add``/``ring_remove``: phones joining or leaving its ring group.
        """
        partners = vals.pop("partner_ids", None)
        ring_add = vals.pop("ring_add", ())
        ring_remove = vals.pop("ring_remove", ())
        parts = [
            SQL(
                "UPDATE clinic_call SET %s, write_uid = %s,"
                " write_date = now() at time zone 'UTC' WHERE id = %s",
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(name), value) for name, value in vals.items()
                ),
                self.env.uid,
                self.id,
            )
        ]
        if partners:
            field = self._fields["partner_ids"]
            parts.append(
                SQL(
                    "INSERT INTO %s (%s, %s) SELECT %s, unnest(%s::int[])",
                    SQL.identifier(field.relation),
                    SQL.identifier(field.column1),
                    SQL.identifier(field.column2),
                    self.id,
                    partners,
                )
            )
        if ring_add:
            parts.append(
                SQL(
                    "INSERT INTO clinic_call_ring_phone_rel (call_id, phone_id)"
                    " SELECT %s, unnest(%s::int[]) ON CONFLICT DO NOTHING",
                    self.id,
                    list(ring_add),
                )
            )
        if ring_remove:
            parts.append(
                SQL(
                    "DELETE FROM clinic_call_ring_phone_rel"
                    " WHERE call_id = %s AND phone_id = ANY(%s)",
                    self.id,
                    list(ring_remove),
                )
            )
        # One round trip for all of them.
        self.env.cr.execute(SQL("; ").join(parts))
        fnames = [*vals, "write_uid", "write_date"]
        if partners is not None:
            fnames.append("partner_ids")
        if ring_add or ring_remove:
            fnames.append("ring_phone_ids")
        # Nothing of the call was pending (``clinic.call.event._claim`` flushed): no flush.
        self.invalidate_recordset(fnames, flush=False)
        self.modified(fnames)
        # call_type was written above (tools.call_state.call_type): nothing to recompute.
        self.env.remove_to_compute(self._fields["call_type"], self)

    def _phone_vals(self, event, row):
        """The desk phone an event names (T1, T13), from ``row`` (see ``clinic.call.event._claim``).

        The first one is the call's phone. An inbound call may ring several
        phones (an ARI ring group): the others are remembered so that their
        holders see the card too, and the phone that answers becomes the call's
        phone, with its holder as the administrator.
        """
        phone = row["event_phone"]
        if not phone or phone == row["phone_id"]:
            return {}
        if not row["phone_id"]:
            # A PBX may serve several clinics: the call is the clinic of its desk phone.
            if row["event_phone_company"] != row["company_id"]:
                return {"phone_id": phone, "company_id": row["event_phone_company"]}
            return {"phone_id": phone}
        if row["direction"] != "inbound" or event.type not in (ev.RINGING, ev.ANSWERED):
            return {}
        if event.type == ev.RINGING:
            if phone in row["ring_phone_ids"]:
                return {}
            return {"ring_group": True, "ring_add": [phone]}
        if row["answer_date"]:
            return {}  # answered already; a second "answered" changes nothing
        holder = row["holders"].get(phone)
        return {
            "phone_id": phone,
            "user_id": holder if holder in row["allowed"] else None,
            "ring_group": True,
            "ring_add": [row["phone_id"]],
            "ring_remove": [phone],
        }

    def _identify_vals(self, event, row):
        """Caller identification (T3): 0, 1 or 2+ patients with the remote number."""
        Partner = self.env["res.partner"]
        Company = self.env["res.company"]
        pbx = self.env["clinic.pbx"].browse(row["pbx_id"])
        # In the PBX's country (the call's company), whoever runs this code.
        e164 = self.env["clinic.partner.phone"]._normalize(
            event.remote_number, Company.browse(row["company_id"])
        )
        source = event.source and self.env["clinic.pbx.source"].search(
            [("pbx_id", "=", pbx.id), ("source_code", "=", event.source)], limit=1
        )
        # R6: only patients of the company of the phone that took the call (or shared ones).
        companies = Company.browse(row["event_phone_company"]) or pbx._caller_companies()
        matches = (
            Partner.browse(Partner._clinic_ids_by_e164(e164, limit=20, companies=companies))
            if e164
            else Partner
        )
        hidden = bool(source and source.hide_number)
        return {
            # A hidden number is used to identify the caller, never stored (11.7).
            "number_e164": (not hidden and e164) or None,
            "source_code": event.source or None,
            "hidden_number": hidden,
            "partner_ids": matches.ids,
            "partner_id": matches.id if len(matches) == 1 else None,
        }

    # --- calls the PBX never ended (T14) -----------------------------------------

    @api.model
    def _close_lost_calls(self, batch=200):
        """Close open calls silent for longer than their PBX's limits as "lost" (T14).

        Silence is measured on our own clock, from the last event received for
        the call, so a PBX with a wrong clock cannot keep a call open. Each call
        gets a "lost" event dated at its last event (what is known of the call
        stays true; a late real "ended" still wins, see tools.call_state.fold)
        and is refolded and pushed to the card like any event. Returns the
        number of calls closed; the cron runs again at once while more remain.
        """
        self.env.flush_all()
        # SKIP LOCKED: a call whose event is being ingested right now is not lost.
        self.env.cr.execute(
            """
            SELECT c.id, last.event_time
              FROM clinic_call c
              JOIN clinic_pbx p ON p.id = c.pbx_id
             CROSS JOIN LATERAL (SELECT max(e.received_at) AS received_at,
                                        max(e.event_time) AS event_time
                                   FROM clinic_call_event e WHERE e.call_id = c.id) last
             WHERE c.state IN ('ringing', 'talking')
               AND last.received_at < (now() at time zone 'UTC') - CASE c.state
                       WHEN 'ringing' THEN p.max_ringing_minutes * interval '1 minute'
                       ELSE p.max_talking_hours * interval '1 hour' END
             ORDER BY c.id
             LIMIT %s
               FOR UPDATE OF c SKIP LOCKED
            """,
            [batch + 1],
        )
        rows = self.env.cr.fetchall()
        for call_id, last_event_time in rows[:batch]:
            call = self.browse(call_id)
            call.pbx_id._ingest(call._own_event("lost", ev.LOST, last_event_time), None)
        self.env["ir.cron"]._notify_progress(
            done=min(len(rows), batch), remaining=max(len(rows) - batch, 0)
        )
        return min(len(rows), batch)

    # --- bus ---------------------------------------------------------------------

    def _notify(self):
        """Send each call's card to the users who see it (T1, T4, T10)."""
        for call in self:
            ring = call.ring_phone_ids if call.ring_group else call.ring_phone_ids.browse()
            users = call.user_id | call.phone_id.user_id | ring.user_id
            holders = cs.card_holders(
                call.user_id.id,
                call.phone_id.user_id.id,
                ring.user_id.ids,
                set(users.filtered("clinic_telephony_allowed").ids),
            )
            call._send_card(holders, call.company_id.id)

    def _send_card(self, user_ids, company_id):
        """The call's card on the bus of ``user_ids``, unless telephony is paused (T10)."""
        self.ensure_one()
        # X1: the clinic's wallboards show every phone's calls, held or not
        self.env["res.company"].browse(company_id)._clinic_wallboard_changed("calls")
        Users = self.env["res.users"]
        if not user_ids or Users._clinic_telephony_paused(
            self.env["res.company"].browse(company_id)
        ):
            return
        payload = self._card_payload()
        for user in Users.browse(user_ids):
            user.partner_id._bus_send("clinic_telephony/call", payload)

    def _card_payload(self):
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
            "user_id": call.user_id.id,
            "lost": call.lost,
            "failure": call.failure_reason or False,
            "can_hang_up": call.direction == "outbound" and call.state == cs.RINGING,
        }

    # --- card actions (operators without "Call history" act on their own calls) --

    def _own(self):
        """This call as sudo if the user may act on it, else AccessError (R6).

        Acting needs read access: "Call history" holders read every call of
        their companies, other operators only the calls they answered or
        placed (record rules), never the earlier calls of a phone they hold now.
        """
        self.ensure_one()
        self.check_access("read")
        # sudo: clinic.call - read access was just checked; card actions write the patient.
        return self.sudo()

    def action_choose_patient(self, partner_id):
        """Pick the caller among the matching patients (T3, 2+ matches)."""
        call = self._own()
        partner = call.partner_ids.filtered(lambda p: p.id == partner_id)
        if not partner:
            raise UserError(_("Choose one of the patients with this number."))
        call.partner_id = partner
        call._notify()
        return call._card_payload()

    def action_book_appointment(self):
        """Open the schedule to book the caller (T4); the chosen slot's form is prefilled."""
        call = self._own()
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
        call = self._own()
        number = "" if call.hidden_number else call.number_display
        field = "mobile" if self._is_mobile(call.number_e164) else "phone"
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_is_patient": True, f"default_{field}": number},
        }

    @api.model
    def _is_mobile(self, e164):
        if not e164:
            return False
        kind = phonenumbers.number_type(phonenumbers.parse(e164, None))
        return kind == phonenumbers.PhoneNumberType.MOBILE

    def action_play_recording(self):
        """Open the access-checked playback route (R5, T15)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/clinic/telephony/recording/{self.id}",
            "target": "new",
        }

    # --- recordings (T15) -------------------------------------------------------------

    @api.model
    def _recording_for_playback(self, call_id):
        """The call (sudo) whose stored recording the user may play, or an empty recordset.

        Playing needs read access to the call: "Call history" holders read the
        calls of their companies, other operators only the calls they answered
        or placed (record rules, R6). Raises AccessError otherwise.
        """
        call = self.browse(call_id).exists()
        if not call:
            return call
        call.check_access("read")
        # sudo: clinic.call - read access was just checked; the file field is for admins.
        call = call.sudo()
        return call if call.recording_state == "stored" and call.recording_file else call.browse()

    @api.model
    def _fetch_recordings(self, limit=20):
        """Copy pending recordings from their PBX into Odoo (cron, T15).

        Each download happens between two transactions of its own: the PBX's
        address and credentials are read in one, the file is fetched outside any
        transaction, and stored (or the problem recorded) in another. A
        recording outside the PBX's address is refused for good; a PBX that
        fails is tried again later, up to 5 times.
        """
        self.flush_model(["recording_state", "recording_next_try"])
        self.env.cr.execute(
            """SELECT id FROM clinic_call
                WHERE recording_state = 'pending'
                  AND (recording_next_try IS NULL OR recording_next_try <= %s)
                ORDER BY id LIMIT %s""",
            [fields.Datetime.now(), limit],
        )
        call_ids = [row[0] for row in self.env.cr.fetchall()]
        for call_id in call_ids:
            with self.env.registry.cursor() as cr:
                # sudo: clinic.call, clinic.pbx - reads where and how to fetch; a cron job.
                env = self.env(cr=cr, su=True)
                call = env[self._name].browse(call_id)
                url = call.recording_url
                base, auth = call.pbx_id._recording_source()
            try:
                recordings.check_source(url, base)
                data, mimetype = recordings.download(url, auth)
                outcome = None
            except recordings.RecordingRefused as exc:
                data = mimetype = None
                outcome = exc
            with self.env.registry.cursor() as cr:
                # sudo: clinic.call - stores what the cron fetched for this call.
                env = self.env(cr=cr, su=True)
                env[self._name].browse(call_id)._store_recording(url, data, mimetype, outcome)
        return len(call_ids)

    def _store_recording(self, url, data, mimetype, refused):
        self.ensure_one()
        self.env.cr.execute("SELECT id FROM clinic_call WHERE id = %s FOR UPDATE", [self.id])
        self.invalidate_recordset()
        if self.recording_state != "pending" or self.recording_url != url:
            return  # fetched by another worker meanwhile, or a newer recording arrived
        if refused is None:
            self.write(
                {
                    "recording_file": base64.b64encode(data),
                    "recording_mimetype": mimetype,
                    "recording_state": "stored",
                    "recording_error": False,
                    "has_recording": True,
                }
            )
            return
        _logger.warning("Recording of call %s not fetched: %s", self.id, refused)
        attempts = self.recording_attempts + 1
        final = refused.kind not in recordings.TRANSIENT or attempts >= RECORDING_ATTEMPTS
        self.write(
            {
                "recording_attempts": attempts,
                "recording_state": "failed" if final else "pending",
                "recording_next_try": fields.Datetime.now() + timedelta(minutes=2**attempts),
                "recording_error": self._recording_problem(refused),
            }
        )

    @api.model
    def _recording_problem(self, refused):
        return {
            recordings.FOREIGN_HOST: _(
                "The recording is not on the phone system's recording address; it was not "
                "fetched."
            ),
            recordings.TOO_LARGE: _("The recording is larger than Odoo accepts."),
            recordings.NOT_AUDIO: _("The phone system did not send an audio file."),
            recordings.HTTP_STATUS: _(
                "The phone system answered HTTP %(status)s.", status=refused.detail
            ),
            recordings.UNREACHABLE: _("The phone system could not be reached."),
        }[refused.kind]

    @api.model
    def _purge_recordings(self):
        """Delete stored recordings older than their company's retention (cron, T15)."""
        purged = self.browse()
        companies = self.env["res.company"].search([("clinic_recording_retention_days", ">", 0)])
        for company in companies:
            limit = fields.Datetime.now() - timedelta(days=company.clinic_recording_retention_days)
            purged |= self.search(
                [
                    ("company_id", "=", company.id),
                    ("recording_state", "=", "stored"),
                    ("start_date", "<", limit),
                ]
            )
        purged.write(
            {
                "recording_file": False,
                "recording_mimetype": False,
                "recording_state": "purged",
                "has_recording": False,
            }
        )
        return len(purged)

    # --- click-to-call (T5) ----------------------------------------------------------

    @api.model
    def dial(self, number, partner_id=False):
        """Call ``number`` from the user's phone; return the new call's card payload.

        Refused with a UserError when the user is not linked to telephony, telephony
        is paused, no phone is chosen, the user is already talking, the number is
        not a phone number, or the PBX cannot take commands. A PBX that refuses or
        does not answer within 5 s fails the call: the payload has state "failed"
        and the reason in ``failure`` (T12).
        """
        user = self.env.user
        Users = self.env["res.users"]
        if not user.clinic_telephony_allowed:
            raise UserError(_("You are not linked to telephony. Ask a manager to link you."))
        phone = user.clinic_phone_id
        if Users._clinic_telephony_paused(phone.company_id or None):
            raise UserError(_("Telephony is paused: outgoing calls are not possible."))
        if not phone:
            raise UserError(_("Choose the phone you work at before calling."))
        # sudo: clinic.call - checks only whether the user has a call in progress.
        if self.sudo().search_count([("user_id", "=", user.id), ("state", "=", cs.TALKING)]):
            raise UserError(_("You are already on a call. Finish it before calling again."))
        e164 = self.env["clinic.partner.phone"]._normalize(number)
        if not e164:
            raise UserError(_("%(number)s is not a valid phone number.", number=number))
        return phone.pbx_id._place_call(phone, e164, partner_id)

    def _fail(self, reason):
        """The PBX refused this click-to-call (T12): fail it and say why on the card."""
        self.ensure_one()
        self.failure_reason = reason
        event = self._own_event("refused", ev.FAILED, fields.Datetime.now())
        self.pbx_id._ingest(event, None)

    def _own_event(self, origin, kind, when, suffix=""):
        """An event Odoo records for this call itself (sweep, refusal, reconciliation):
        its id says where it comes from, so each is recorded once."""
        self.ensure_one()
        return ev.CallEvent(
            event_id=f"{origin}:{self.pbx_call_id}{suffix}",
            type=kind,
            call_id=self.pbx_call_id,
            direction=self.direction,
            from_number="",
            to_number="",
            extension="",
            timestamp=when,
        )

    def action_hang_up(self):
        """Cancel the user's own click-to-call before it connects (T12, card button).

        The PBX gets a hangup command; it is retried until the PBX accepts it.
        The call ends when the PBX reports it.
        """
        call = self._own()
        if call.state not in (cs.RINGING, cs.TALKING):
            return True
        call.pbx_id._check_can_command()
        with self.env.registry.cursor() as cr:
            # sudo: clinic.pbx.command - the hangup of a call the user was just found to own.
            env = self.env(cr=cr, su=True)
            command_id = env["clinic.pbx.command"]._issue(call.with_env(env), commands.HANGUP).id
        self.env["clinic.pbx.command"]._send_committed([command_id])
        return True

    # --- the patient's timeline (X2) ------------------------------------------------

    def _timeline_details(self):
        """``{call id: [texts]}``: what the patient's communication timeline says of
        each call (X2), for the whole page of calls at once."""
        details = {}
        for call in self:
            minutes, seconds = divmod(call.talk_duration or 0, 60)
            texts = [_("Duration %(minutes)d:%(seconds)02d", minutes=minutes, seconds=seconds)]
            if call.user_id:
                texts.append(_("Operator: %s", call.user_id.name))
            details[call.id] = texts
        return details
