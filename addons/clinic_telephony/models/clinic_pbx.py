import json
import logging
import secrets
from contextlib import contextmanager

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import SUPERUSER_ID, _, api, fields, models, tools
from odoo.addons.clinic_base.tools import signed_request
from odoo.addons.clinic_base.tools.public_input import usable_key
from odoo.exceptions import UserError
from odoo.sql_db import TestCursor

from ..tools import ari, simulator
from ..tools import events as ev

_logger = logging.getLogger(__name__)

KINDS = [
    ("webhook", "Signed webhook"),
    ("asterisk_ari", "Asterisk ARI"),
    ("simulator", "Simulator"),
]


class PbxError(Exception):
    """The PBX refused or could not be reached for a command (originate...)."""


@contextmanager
def ingestion_env(registry):
    """Superuser environment on a transaction of its own at READ COMMITTED, committed on exit.

    Under Odoo's default REPEATABLE READ, two workers receiving events of one
    call at once make one of them fail with a serialization error, which Odoo
    retries after sleeping up to seconds. At READ COMMITTED the second worker
    just waits for the first one's row locks (event id, call) and then sees its
    committed events, so folding stays correct without retries.
    """
    with registry.cursor() as cr:
        if not isinstance(cr, TestCursor):  # a test cursor lives inside the test's transaction
            cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
        yield api.Environment(cr, SUPERUSER_ID, {})


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
    ari_url = fields.Char("ARI URL", help="E.g. http://pbx.local:8088/ari")
    ari_username = fields.Char("ARI user", groups="clinic_base.group_clinic_manager")
    ari_password = fields.Char("ARI password", groups="clinic_base.group_clinic_manager")
    ari_app = fields.Char("ARI application", default="clinic")
    active = fields.Boolean(default=True)
    phone_ids = fields.One2many("clinic.telephony.phone", "pbx_id", "Phones")
    source_ids = fields.One2many("clinic.pbx.source", "pbx_id", "Aggregator sources")
    webhook_path = fields.Char("Webhook path", compute="_compute_webhook_path")

    _sql_constraints = [
        ("code_uniq", "unique (code)", "The PBX code must be unique."),
        (
            "code_url_safe",
            "CHECK (code ~ '^[A-Za-z0-9_-]+$')",
            "The PBX code may only hold letters, digits, '-' and '_'.",
        ),
    ]

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
        self.env.registry.clear_cache()  # _clinic_auth_info
        return super().create(vals_list)

    def write(self, vals):
        if {"code", "secret", "active"} & set(vals):
            self.env.registry.clear_cache()  # _clinic_auth_info
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _clinic_auth_info
        return super().unlink()

    @api.model
    @tools.ormcache("code")
    def _clinic_auth_info(self, code):
        """(id, secret) of the active PBX with this code, or None.

        Cached per worker: every webhook request needs it, and a PBX changes
        rarely (create/write/unlink clear the cache on every worker).
        """
        # sudo: clinic.pbx - resolves the addressed PBX to check the request's HMAC with
        # its secret; nothing about it is returned to the caller.
        pbx = self.sudo().search([("code", "=", code)], limit=1)
        return (pbx.id, pbx.secret) if pbx else None

    def _caller_companies(self, extension=None):
        """Companies whose patients calls of this PBX may be identified as (T3, R6).

        The company of the desk phone in hand, else every company whose desk
        phones the PBX serves; a PBX without phones identifies shared patients only.
        """
        self.ensure_one()
        # sudo: clinic.telephony.phone - reads which companies the PBX's phones belong to
        phones = self.sudo().with_context(active_test=False).phone_ids
        phone = phones.filtered(lambda p: p.extension == extension)[:1] if extension else phones
        return (phone or phones).company_id

    @api.model
    def _authenticate(self, code, headers, body_or_stream):
        """(PBX ``code``, payload) once the request passed the shared gate.

        Raises the shared verifier's typed errors (see
        ``clinic_base/tools/signed_request.py``): unknown code 404, oversized 400,
        bad signature or stale timestamp 401.
        """
        info = usable_key(code) and self._clinic_auth_info(code)
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
            status = pbx.with_env(env)._clinic_ingest(event, body.decode())
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

    def _clinic_ingest(self, event, payload=None):
        """Store one parsed event and fold it into its call; return "ok" or "duplicate".

        Safe under concurrency: one statement upserts the call row (locking it)
        and stores the event under its unique key (see ``clinic.call.event._clinic_claim``),
        so two workers never create two calls or apply one event twice. An outbound
        event first lets its call adopt a pending click-to-call (T5).
        """
        self.ensure_one()
        # sudo: clinic.call.event, clinic.call - called only after the request was
        # authenticated (HMAC, ARI connector, or the user's own click-to-call).
        if event.direction == "outbound" and event.type != ev.ORIGINATE:
            self.env["clinic.call"].sudo()._clinic_adopt_originate(self, event)
        call, created = self.env["clinic.call.event"].sudo()._clinic_claim(self, event, payload)
        if not call:
            return "duplicate"
        call._clinic_apply_events(event, created)
        return "ok"

    def _clinic_reconcile(self, live_calls, when):
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
            self._clinic_ingest(
                ev.CallEvent(
                    event_id=f"reconcile:{call.pbx_call_id}:{kind}",
                    type=kind,
                    call_id=call.pbx_call_id,
                    direction=call.direction,
                    from_number="",
                    to_number="",
                    extension="",
                    timestamp=when,
                ),
                json.dumps({"reconciled": kind}),
            )
            changed |= call
        return changed

    # --- outbound commands --------------------------------------------------------

    def _clinic_originate(self, phone, call_id, number):
        """Ask the PBX to connect desk ``phone`` with ``number`` as call ``call_id``.

        Raises PbxError when the PBX cannot be reached or refuses.
        """
        self.ensure_one()
        if self.kind == "asterisk_ari":
            pbx = self.sudo()  # sudo: clinic.pbx - ARI credentials are used, never returned
            client = ari.AriRest(pbx.ari_url, pbx.ari_username, pbx.ari_password)
            try:
                client.originate(
                    endpoint=f"PJSIP/{phone.extension}",
                    app=pbx.ari_app,
                    channel_id=call_id,
                    app_args=ari.originate_args(phone.extension, number),
                )
            except ari.AriError as exc:
                raise PbxError(str(exc)) from exc
        # webhook: the PBX picks up "originate requested" and reports back through events;
        # simulator: the simulator CLI plays the rest of the call.

    def _clinic_raise_pbx_failure(self, exc):
        _logger.warning("PBX %s refused a call: %s", self.code, exc)
        raise UserError(
            _(
                "The phone system could not place the call (%(pbx)s). Please try again.",
                pbx=self.name,
            )
        ) from exc

    # --- simulator (T2c) -----------------------------------------------------------

    def _clinic_simulator_numbers(self):
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
