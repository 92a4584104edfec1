import json
import logging
import secrets
import uuid

from odoo import _, api, fields, models, tools
from odoo.addons.clinic_base.tools import signed_request
from odoo.addons.clinic_base.tools.public_input import usable_key
from odoo.exceptions import UserError, ValidationError

from ..ingestion import ingestion_env
from ..tools import ari, commands, simulator
from ..tools import events as ev

_logger = logging.getLogger(__name__)

KINDS = [
    ("webhook", "Signed webhook"),
    ("asterisk_ari", "Asterisk ARI"),
    ("simulator", "Simulator"),
]


class ClinicPbx(models.Model):
    """A telephone exchange that reports calls to Odoo (T2)."""

    _name = "clinic.pbx"
    _description = "Telephone exchange (PBX)"
    _order = "name"

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        help="Used in the webhook address /clinic/telephony/<code>/events.",
    )
    secret = fields.Char(
        groups="clinic_base.group_clinic_manager",
        copy=False,
        default=lambda self: secrets.token_hex(32),
        help="Shared key of the HMAC-SHA256 signature of every request from this PBX.",
    )
    kind = fields.Selection(KINDS, required=True, default="webhook")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    ari_url = fields.Char("ARI URL", help="E.g. http://pbx.local:8088/ari")
    ari_username = fields.Char("ARI user", groups="clinic_base.group_clinic_manager")
    ari_password = fields.Char("ARI password", groups="clinic_base.group_clinic_manager")
    ari_app = fields.Char("ARI application", default="clinic")
    ari_mode = fields.Selection(
        [
            (ari.CONTROL, "Control calls"),
            (ari.OBSERVE, "Observe only (hand calls back to the dialplan)"),
        ],
        "Call handling",
        default=ari.CONTROL,
        required=True,
        help="Control calls: Odoo rings the desk phones, bridges the one that answers and "
        "dials the patient of a click-to-call. Observe only: every call goes back to the "
        "dialplan at once and Odoo only records what happens.",
    )
    ari_ring = fields.Selection(
        [
            ("bound", "Desk phones with an operator this shift"),
            ("all", "All desk phones"),
        ],
        "Inbound calls ring",
        default="bound",
        required=True,
        help="Which desk phones ring for an inbound call, unless the dialplan names one "
        "extension: Stasis(<application>,inbound,<extension>).",
    )
    ari_desk_endpoint = fields.Char(
        "Desk phone endpoint",
        default="PJSIP/{extension}",
        required=True,
        help="How Asterisk reaches a desk phone; {extension} is its extension.",
    )
    ari_outbound_endpoint = fields.Char(
        "Outbound endpoint",
        default="PJSIP/{number}@trunk",
        required=True,
        help="How Asterisk calls a patient; {number} is the E.164 number (+4930...), "
        "{digits} the same without '+'.",
    )
    ari_outbound_context = fields.Char(
        "Outbound dialplan context",
        default="from-internal",
        required=True,
        help="Observe only: a click-to-call continues in this context at the patient's number "
        "(digits without '+') once the desk phone answers.",
    )
    ari_record = fields.Boolean(
        "Record calls",
        help="Control calls: record every connected call on Asterisk; the recording is "
        "fetched into Odoo when the call ends.",
    )
    recording_base_url = fields.Char(
        "Recording address",
        help="Recordings are fetched only from under this address (e.g. "
        "https://pbx.example.com/recordings/), with the credentials below. Asterisk ARI: "
        "the ARI URL and user.",
    )
    recording_username = fields.Char(
        "Recording user", groups="clinic_base.group_clinic_manager", copy=False
    )
    recording_password = fields.Char(
        "Recording password", groups="clinic_base.group_clinic_manager", copy=False
    )
    command_url = fields.Char(
        "Command URL",
        help="Where Odoo sends click-to-call commands (originate, hangup) as signed POSTs; "
        "see the command contract in the module's README.",
    )
    active = fields.Boolean(default=True)
    phone_ids = fields.One2many("clinic.telephony.phone", "pbx_id", "Phones")
    source_ids = fields.One2many("clinic.pbx.source", "pbx_id", "Aggregator sources")
    command_ids = fields.One2many(
        "clinic.pbx.command", "pbx_id", "Commands", groups="clinic_base.group_clinic_manager"
    )
    webhook_path = fields.Char("Webhook path", compute="_compute_webhook_path")
    max_ringing_minutes = fields.Integer(
        "Ringing limit (minutes)",
        default=2,
        required=True,
        help="A call still ringing this long after its last event is closed as lost.",
    )
    max_talking_hours = fields.Integer(
        "Talking limit (hours)",
        default=4,
        required=True,
        help="A call still talking this long after its last event is closed as lost.",
    )

    _sql_constraints = [
        ("code_uniq", "unique (code)", "The PBX code must be unique."),
        (
            "code_url_safe",
            "CHECK (code ~ '^[A-Za-z0-9_-]+$')",
            "The PBX code may only hold letters, digits, '-' and '_'.",
        ),
        (
            "limits_positive",
            "CHECK (max_ringing_minutes > 0 AND max_talking_hours > 0)",
            "The ringing and talking limits must be at least 1.",
        ),
    ]

    @api.constrains("ari_desk_endpoint", "ari_outbound_endpoint")
    def _check_ari_endpoints(self):
        for pbx in self:
            for template in (pbx.ari_desk_endpoint, pbx.ari_outbound_endpoint):
                try:
                    filled = ari.endpoint(template or "", extension="101", number="+4930")
                except (KeyError, IndexError, ValueError) as exc:
                    raise ValidationError(
                        _("%(template)s is not a valid endpoint template.", template=template)
                    ) from exc
                if "/" not in filled:
                    raise ValidationError(
                        _(
                            "%(template)s is not an Asterisk endpoint (technology/resource).",
                            template=template,
                        )
                    )

    @api.depends("code")
    def _compute_webhook_path(self):
        for pbx in self:
            pbx.webhook_path = f"/clinic/telephony/{pbx.code}/events" if pbx.code else False

    def action_regenerate_secret(self):
        self.ensure_one()
        self.secret = secrets.token_hex(32)

    # --- inbound requests (webhook, CallerID) ----------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _auth_info
        return super().create(vals_list)

    def write(self, vals):
        if {"code", "secret", "active"} & set(vals):
            self.env.registry.clear_cache()  # _auth_info
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _auth_info
        return super().unlink()

    @api.model
    @tools.ormcache("code")
    def _auth_info(self, code):
        """(id, secret) of the active PBX with this code, or None.

        Cached per worker: every webhook request needs it, and a PBX changes
        rarely (create/write/unlink clear the cache on every worker).
        """
        # sudo: clinic.pbx - resolves the addressed PBX to check the request's HMAC with
        # its secret; nothing about it is returned to the caller.
        pbx = self.sudo().search([("code", "=", code)], limit=1)
        return (pbx.id, pbx.secret) if pbx else None

    def _caller_companies(self):
        """Companies whose patients calls of this PBX may be identified as (T3, R6)
        when no desk phone of the call is known: every company whose desk phones
        the PBX serves; a PBX without phones identifies shared patients only. (A
        call at a known desk phone looks in that phone's company only, see
        ``clinic.call._identify_vals``.)"""
        self.ensure_one()
        # sudo: clinic.telephony.phone - reads which companies the PBX's phones belong to
        return self.sudo().with_context(active_test=False).phone_ids.company_id

    @api.model
    def _authenticate(self, code, headers, body_or_stream):
        """(PBX ``code``, payload) once the request passed the shared gate.

        Raises the shared verifier's typed errors (see
        ``clinic_base/tools/signed_request.py``): unknown code 404, oversized 400,
        bad signature or stale timestamp 401.
        """
        info = usable_key(code) and self._auth_info(code)
        if not info:
            raise signed_request.UnknownSender("unknown pbx")
        pbx_id, secret = info
        body = signed_request.verify_request(secret, headers, body_or_stream)
        return self.browse(pbx_id), body

    @api.model
    def _webhook_receive(self, code, headers, body_or_stream):
        """Handle one webhook request (SPEC T2 contract); return (HTTP status, JSON dict).

        ``body_or_stream`` is the raw body or the request's input stream (read
        only up to the size cap). Order of checks: PBX, size, signature, then
        payload, so that a rejected request writes nothing.
        """
        try:
            pbx, body = self._authenticate(code, headers, body_or_stream)
            event = ev.parse_body(body)
        except signed_request.RejectedRequest as exc:
            return exc.status, {"status": "error", "error": exc.public_message()}
        with ingestion_env(self.env.registry) as env:
            status = pbx.with_env(env)._ingest(event, body.decode())
        return 200, {"status": status}

    @api.model
    def _callerid_lookup(self, code, headers, query_string, number):
        """CallerID name for a desk phone (T11); return (HTTP status, JSON dict)."""
        try:
            pbx, _query = self._authenticate(code, headers, query_string)
        except signed_request.RejectedRequest as exc:
            return exc.status, {"status": "error", "error": exc.public_message()}
        # sudo: res.partner - the PBX proved its identity with the HMAC; only the name
        # of an unambiguous match among its own companies' patients is returned.
        patients = (
            self.env["res.partner"]
            .sudo()
            ._clinic_search_by_number(number or "", limit=2, companies=pbx._caller_companies())
        )
        return 200, {"name": patients.name if len(patients) == 1 else None}

    # --- ingestion --------------------------------------------------------------

    def _ingest(self, event, payload=None):
        """Store one parsed event and fold it into its call; return "ok" or "duplicate".

        Safe under concurrency: ``clinic.call.event._claim`` upserts the call row
        (locking it) and stores the event under its unique key in one round trip,
        so two workers never create two calls or apply one event twice. An
        outbound event may first let its call adopt a pending click-to-call (T5).
        """
        self.ensure_one()
        adopt_number = None
        if event.direction == "outbound" and event.type != ev.ORIGINATE and event.extension:
            adopt_number = self.env["clinic.partner.phone"]._normalize(
                event.remote_number, self.company_id
            )
        # sudo: clinic.call.event, clinic.call - called only after the request was
        # authenticated (HMAC, ARI connector, or the user's own click-to-call).
        call, row = (
            self.env["clinic.call.event"]
            .sudo()
            ._claim(self, event, payload, adopt_number, ari.CLICK_TO_CALL_PREFIX)
        )
        if not call:
            return "duplicate"
        call._apply_events(event, row)
        return "ok"

    def _reconcile(self, live_calls, when):
        """Catch up with the PBX after a lost connection (R4).

        ``live_calls`` maps the PBX's current call ids to whether they are
        answered. Open calls it no longer knows are ended, ringing calls it
        reports answered start talking; both through ordinary events, so a
        late real event still folds in. Returns the calls that changed.
        """
        self.ensure_one()
        # sudo: clinic.call - system-side reconciliation of this PBX's own calls.
        open_calls = (
            self.env["clinic.call"]
            .sudo()
            .search([("pbx_id", "=", self.id), ("state", "in", ("ringing", "talking"))])
        )
        changed = open_calls.browse()
        for call in open_calls:
            if call.pbx_call_id not in live_calls:
                kind = ev.ENDED
            elif live_calls[call.pbx_call_id] and call.state == "ringing":
                kind = ev.ANSWERED
            else:
                continue
            event = call._own_event("reconcile", kind, when, suffix=f":{kind}")
            self._ingest(event, json.dumps({"reconciled": kind}))
            changed |= call
        return changed

    # --- outbound commands (T12) ---------------------------------------------------

    def _check_can_command(self):
        """UserError unless Odoo has a way to send this PBX commands."""
        self.ensure_one()
        if self.kind == "asterisk_ari":
            ready = bool(self.ari_url)
        else:
            ready = bool(self.command_url)
        if not ready:
            raise UserError(
                _(
                    "The phone system %(pbx)s has no command address: calls cannot be placed "
                    "from Odoo. Ask a manager to set it in Configuration > Phone systems.",
                    pbx=self.name,
                )
            )

    def _place_call(self, phone, number, partner_id=False):
        """Click-to-call from ``phone`` to ``number`` (E.164); return the card payload.

        Three steps, so that no PBX call hides in a transaction that could roll
        back (T12): the intent (the call, "originate requested", and its command)
        is committed first, the PBX is told outside any transaction, and its
        answer is recorded in a transaction of its own. A refusal or silence of
        the PBX fails the call at once; the card says why. Never retried.
        """
        self.ensure_one()
        self._check_can_command()
        event = ev.CallEvent(
            event_id=f"originate:{uuid.uuid4()}",
            type=ev.ORIGINATE,
            call_id=f"{ari.CLICK_TO_CALL_PREFIX}{uuid.uuid4()}",
            direction="outbound",
            from_number=phone.extension,
            to_number=number,
            extension=phone.extension,
            timestamp=fields.Datetime.now(),
        )
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr)
            # sudo: clinic.pbx, clinic.call, clinic.pbx.command - the user's own call from
            # the user's own phone; clinic.call.dial checked that they may call.
            pbx = self.with_env(env).sudo()
            pbx._ingest(event, None)
            call = (
                env["clinic.call"]
                .sudo()
                .search([("pbx_id", "=", pbx.id), ("pbx_call_id", "=", event.call_id)])
            )
            if partner_id in call.partner_ids.ids:
                call.partner_id = partner_id
                call._notify()
            command = env["clinic.pbx.command"].sudo()._issue(call, commands.ORIGINATE, number)
            call_id, command_id = call.id, command.id
        self.env["clinic.pbx.command"]._send_committed([command_id])
        with self.env.registry.cursor() as cr:
            # sudo: clinic.call - the card of the call just placed by this user.
            return self.env(cr=cr)["clinic.call"].sudo().browse(call_id)._card_payload()

    def _recording_source(self):
        """``(base URL, auth)`` under which this PBX's recordings may be fetched (T15)."""
        self.ensure_one()
        if self.kind == "asterisk_ari":
            base = (self.ari_url or "").rstrip("/") + "/recordings/stored/"
            return base, (self.ari_username or "", self.ari_password or "")
        auth = (self.recording_username, self.recording_password or "")
        return self.recording_base_url or "", auth if self.recording_username else None

    def _ari_desk_endpoint(self, extension):
        self.ensure_one()
        return ari.endpoint(self.ari_desk_endpoint or "PJSIP/{extension}", extension=extension)

    def _ari_policy(self):
        """How the ARI connector handles a new call (T13), from this PBX's settings."""
        self.ensure_one()
        phones = self.phone_ids.filtered("active")
        if self.ari_ring == "bound":
            phones = phones.filtered(lambda p: p.user_id.clinic_telephony_allowed)
        return ari.Policy(
            mode=self.ari_mode,
            desk_endpoint=self.ari_desk_endpoint,
            outbound_endpoint=self.ari_outbound_endpoint,
            outbound_context=self.ari_outbound_context,
            ring_extensions=tuple(phones.mapped("extension")),
            record=self.ari_record,
        )

    # --- simulator (T2c) -----------------------------------------------------------

    def _simulator_numbers(self):
        """Numbers for the simulator's scenarios, taken from the patients on file."""
        self.ensure_one()
        cr = self.env.cr
        self.env["clinic.partner.phone"].flush_model()
        cr.execute(
            """
            SELECT ph.number_e164, count(DISTINCT ph.partner_id)
              FROM clinic_partner_phone ph
              JOIN res_partner p ON p.id = ph.partner_id AND p.is_patient AND p.active
             WHERE ph.number_e164 IS NOT NULL
             GROUP BY ph.number_e164
             ORDER BY count(DISTINCT ph.partner_id) DESC, ph.number_e164
            """
        )
        rows = cr.fetchall()
        shared = next((number for number, count in rows if count > 1), None)
        known = next((number for number, count in rows if count == 1), None)
        unknown = "+4989" + "7" * 7
        return simulator.Numbers(
            known=known or unknown,
            shared=shared or known or unknown,
            unknown=unknown,
            aggregator_source=self.source_ids[:1].source_code or "",
        )
