import hmac
import logging
import secrets
from urllib.parse import urlencode

from odoo import _, api, fields, models
from odoo.addons.clinic_base.tools import signed_request
from odoo.addons.clinic_base.tools.public_input import usable_key
from odoo.exceptions import UserError, ValidationError

from ..exceptions import GatewayError
from ..tools import (
    channel_rules,
    cron,
    http_client,
    keys,
    smpp_client,
    telegram_link,
    twilio_client,
)
from ..tools import message_state as ms
from ..tools import outcome as oc

_logger = logging.getLogger(__name__)

KINDS = [
    ("http_json", "Generic HTTP (JSON)"),
    ("telegram", "Telegram Bot API"),
    ("twilio", "Twilio"),
    ("smpp", "SMPP (carrier or aggregator)"),
    ("odoo_sms", "Odoo SMS"),
]
SMS_KINDS = ("twilio", "smpp", "odoo_sms")
CHANNELS = [("messenger", "Messenger"), ("sms", "SMS")]
TELEGRAM_API = "https://api.telegram.org"
# SMPP command statuses that mean "not now" rather than "no" (SMPP 3.4, 5.1.3).
SMPP_TRY_LATER = (0x14, 0x58)  # ESME_RMSGQFUL, ESME_RTHROTTLED


class ClinicReminderGateway(models.Model):
    """A way to reach patients: SMS provider, messenger bot or Odoo SMS (C9, C14).

    * ``http_json`` speaks the small JSON protocol documented in the addon's
      readme (the local test gateway implements it) for integrators;
    * ``telegram`` calls the Bot API's ``sendMessage`` with the patient's chat id;
    * ``twilio`` sends through Twilio's Messages API with the twilio package;
    * ``smpp`` submits to a carrier's SMSC over SMPP 3.4 with smpplib;
    * ``odoo_sms`` hands the text to Odoo's ``sms`` module (IAP).
    """

    _name = "clinic.reminder.gateway"
    _description = "Reminder delivery gateway"
    _order = "sequence, id"

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        help="Identifies the gateway in its callback URLs /clinic/reminder/.../<code>.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(KINDS, required=True, default="http_json")
    channel = fields.Selection(CHANNELS, required=True, default="sms")
    url = fields.Char(
        "API URL",
        help="Base URL. Telegram and Twilio: leave empty for the public API (a test "
        "emulator's URL otherwise).",
    )
    api_token = fields.Char(
        "API token",
        groups="clinic_base.group_clinic_manager",
        copy=False,
        help="Bearer token (generic HTTP), bot token (Telegram), Auth Token (Twilio), "
        "password (SMPP).",
    )
    webhook_secret = fields.Char(
        "Gateway secret",
        groups="clinic_base.group_clinic_manager",
        copy=False,
        default=lambda self: secrets.token_hex(32),
        help="Never leaves Odoo: the keys for delivery reports, Telegram's secret token and "
        "patients' links are derived from it, one per purpose.",
    )
    callback_key = fields.Char(
        "Delivery report key",
        compute="_compute_callback_key",
        groups="clinic_base.group_clinic_manager",
        help="Generic HTTP: the provider signs its reports with this key (HMAC-SHA256).",
    )
    sender = fields.Char(
        help="Twilio: the From number or alphanumeric sender ID; SMPP: the source address.",
    )
    twilio_account_sid = fields.Char("Account SID")
    twilio_messaging_service_sid = fields.Char(
        "Messaging Service SID", help="Twilio: send through a Messaging Service instead of From."
    )
    smpp_host = fields.Char("SMSC host")
    smpp_port = fields.Integer("SMSC port", default=2775)
    smpp_system_id = fields.Char("System ID")
    smpp_system_type = fields.Char("System type")
    window_hours = fields.Integer(
        "Free-text window (hours)",
        help="Messengers such as WhatsApp accept free text only this long after the "
        "patient's last message; outside it only templates go out. 0: no such rule.",
    )
    concurrency = fields.Integer(
        default=4, help="Requests sent to the provider at the same time during a campaign."
    )
    callback_url = fields.Char(compute="_compute_callback_url")
    telegram_bot_username = fields.Char(
        "Bot username",
        help="Telegram: the bot's @username, for the links patients open to start the chat.",
    )
    telegram_webhook_url = fields.Char("Telegram webhook URL", compute="_compute_callback_url")
    twilio_status_url = fields.Char("Status callback URL", compute="_compute_callback_url")
    twilio_inbound_url = fields.Char(
        "Incoming messages URL",
        compute="_compute_callback_url",
        help="Twilio: set it as the number's (or Messaging Service's) webhook for incoming "
        "messages, method POST.",
    )

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The gateway code must be unique."),
    ]

    @api.constrains("kind", "channel")
    def _check_kind_channel(self):
        for gateway in self:
            if gateway.kind == "telegram" and gateway.channel != "messenger":
                raise ValidationError(_("A Telegram bot is a messenger channel."))
            if gateway.kind in SMS_KINDS and gateway.channel != "sms":
                raise ValidationError(_("Twilio, SMPP and Odoo SMS are SMS channels."))

    def _compute_callback_url(self):
        base = self.browse().get_base_url()
        for gateway in self:
            gateway.callback_url = f"{base}/clinic/reminder/callback/{gateway.code}"
            gateway.telegram_webhook_url = f"{base}/clinic/reminder/telegram/{gateway.code}"
            gateway.twilio_status_url = f"{base}/clinic/reminder/twilio/{gateway.code}/status"
            gateway.twilio_inbound_url = f"{base}/clinic/reminder/twilio/{gateway.code}/inbound"

    @api.depends("webhook_secret")
    def _compute_callback_key(self):
        for gateway in self:
            gateway.callback_key = gateway._key(keys.DELIVERY_REPORTS)

    def _key(self, purpose):
        """This gateway's key for ``purpose`` (11.3: one derived key per purpose)."""
        self.ensure_one()
        # sudo: clinic.reminder.gateway - the secret is only fed to the key derivation
        return keys.derive(self.sudo().webhook_secret or "", purpose)

    # ------------------------------------------------------------------
    # Sending (called by the outbox dispatcher, C11)
    # ------------------------------------------------------------------

    def _recipients(self, partners):
        """``{partner id: address}`` of the ``partners`` this gateway can reach."""
        self.ensure_one()
        if self.kind == "telegram":
            # sudo: res.partner - reads the chat ids of the patients being reminded
            return {
                partner.id: partner.clinic_telegram_chat_id
                for partner in partners.sudo()
                if partner.clinic_telegram_chat_id
            }
        return {
            partner_id: row.number_e164
            for partner_id, row in partners._clinic_numbers_to_reach().items()
        }

    def _not_connected_text(self):
        self.ensure_one()
        return _("Not connected to %(channel)s", channel=self.channel)

    def _check_rules(self, message):
        self.ensure_one()
        # sudo: res.partner - the window only needs the patient's last inbound date
        last = message.partner_id.sudo().clinic_messenger_last_inbound
        try:
            channel_rules.check_window(
                message.is_template, last, fields.Datetime.now(), self.window_hours
            )
        except channel_rules.ChannelRuleError as exc:
            raise GatewayError(str(exc)) from exc

    def _send_all(self, messages):
        """Hand ``messages`` (claimed, "sending") to the provider.

        Returns ``{message id: Outcome}`` (see :mod:`..tools.outcome`). Whatever
        goes wrong once a request may have left is an unknown outcome, never a
        reason to send again.
        """
        self.ensure_one()
        outcomes, ready = {}, []
        for message in messages:
            if not message.recipient:
                outcomes[message.id] = oc.refused(self._not_connected_text())
                continue
            try:
                self._check_rules(message)
            except GatewayError as exc:
                outcomes[message.id] = oc.refused(exc)
                continue
            ready.append(message)
        if ready:
            outcomes.update(getattr(self, f"_send_{self.kind}")(ready))
        return outcomes

    def _send_over_http(self, messages, request, parse):
        replies = http_client.post_all([request(m) for m in messages], self.concurrency)
        outcomes = {}
        for message, reply in zip(messages, replies, strict=True):
            try:
                outcomes[message.id] = parse(reply)
            except Exception as exc:  # noqa: BLE001 - the provider may have it: unknown
                _logger.exception("Reading %s's answer for message %s", self.code, message.id)
                outcomes[message.id] = oc.unknown(f"{type(exc).__name__}: {exc}")
        return outcomes

    # Generic HTTP (JSON): our own protocol; the reference is its idempotency key.

    def _send_http_json(self, messages):
        return self._send_over_http(messages, self._request_http_json, self._parse_http_json)

    def _request_http_json(self, message):
        # sudo: clinic.reminder.gateway - the API token is needed to call the provider
        token = self.sudo().api_token
        return (
            f"{(self.url or '').rstrip('/')}/messages",
            {
                "to": message.recipient,
                "text": message.body,
                "reference": message.reference,
                "callback_url": self.callback_url,
            },
            {"Authorization": f"Bearer {token}", "Idempotency-Key": message.reference},
        )

    def _parse_http_json(self, reply):
        if reply.unsent:
            return oc.retry(reply.error)
        if reply.error or (reply.status or 0) >= 500:
            # The provider sends one message per reference: trying again is safe.
            return oc.retry(reply.error or f"HTTP {reply.status}")
        if not reply.ok or not reply.json.get("id"):
            raise_error = reply.json.get("error") or f"HTTP {reply.status}"
            return oc.refused(raise_error)
        return oc.accepted(reply.json["id"], ms.SENT)

    # Telegram Bot API (https://core.telegram.org/bots/api#sendmessage): no idempotency key.

    def _send_telegram(self, messages):
        return self._send_over_http(messages, self._request_telegram, self._parse_telegram)

    def _request_telegram(self, message):
        # sudo: clinic.reminder.gateway - the bot token is part of the Bot API URL
        token = self.sudo().api_token
        return (
            f"{(self.url or TELEGRAM_API).rstrip('/')}/bot{token}/sendMessage",
            {"chat_id": message.recipient, "text": message.body},
            {},
        )

    def _parse_telegram(self, reply):
        if reply.unsent:
            return oc.retry(reply.error)
        if reply.error or (reply.status or 0) >= 500:
            return oc.unknown(reply.error or f"HTTP {reply.status}")
        if reply.status == 429:  # flood control: refused for now, nothing sent
            return oc.retry(reply.json.get("description") or "HTTP 429")
        if not reply.json.get("ok"):
            return oc.refused(reply.json.get("description") or f"HTTP {reply.status}")
        # The Bot API has no delivery receipts: an accepted message is in the
        # patient's chat (blocked bots and unknown chats are refused above).
        return oc.accepted(reply.json["result"]["message_id"], ms.DELIVERED)

    # Twilio (C14): Messages API, status callbacks carry our reference.

    def _send_twilio(self, messages):
        # sudo: clinic.reminder.gateway - the Auth Token authenticates the REST call
        token = self.sudo().api_token
        results = twilio_client.send_all(
            self.twilio_account_sid,
            token,
            self.url,
            [
                {
                    "to": message.recipient,
                    "body": message.body,
                    "from_": self.sender,
                    "messaging_service_sid": self.twilio_messaging_service_sid,
                    "status_callback": f"{self.twilio_status_url}?"
                    + urlencode({"ref": message.reference}),
                }
                for message in messages
            ],
            self.concurrency,
        )
        return {message.id: result for message, result in zip(messages, results, strict=True)}

    # SMPP (C14): one bound session per batch; receipts come back on the receipts cron.

    def _smpp_session(self):
        # sudo: clinic.reminder.gateway - the SMPP password binds the session
        password = self.sudo().api_token or ""
        return smpp_client.SmppSession(
            self.smpp_host,
            self.smpp_port,
            self.smpp_system_id or "",
            password,
            source_addr=self.sender or "",
            system_type=self.smpp_system_type or "",
        )

    def _send_smpp(self, messages):
        session = self._smpp_session()
        outcomes = {}
        try:
            for message in messages:
                try:
                    message_id = session.submit(message.recipient, message.body)
                except smpp_client.NotSent as exc:
                    outcomes[message.id] = oc.retry(exc)
                except smpp_client.Refused as exc:
                    result = oc.retry if exc.status in SMPP_TRY_LATER else oc.refused
                    outcomes[message.id] = result(exc)
                except smpp_client.Unanswered as exc:
                    outcomes[message.id] = oc.unknown(exc)
                else:
                    outcomes[message.id] = oc.accepted(message_id, ms.SENT)
        finally:
            # Receipts and replies that came meanwhile stay unacknowledged: the SMSC
            # hands them again to the receipts cron's bind.
            session.close()
        return outcomes

    # Odoo SMS (IAP): one batch through the sms module.

    def _send_odoo_sms(self, messages):
        """Hand ``messages`` to Odoo's SMS (IAP) in one batch.

        A tracker per SMS routes IAP's later delivery reports (``/sms/status``)
        to the message, see ``sms.tracker``.
        """
        # sudo: sms.sms - the reminders were authorised by the campaign; sms.sms is technical
        sms_records = (
            self.env["sms.sms"]
            .sudo()
            .create(
                [
                    {
                        "number": message.recipient,
                        "body": message.body,
                        "partner_id": message.partner_id.id,
                    }
                    for message in messages
                ]
            )
        )
        sms_records._send(unlink_failed=False, unlink_sent=False, raise_exception=False)
        outcomes, trackers = {}, []
        for message, sms in zip(messages, sms_records, strict=True):
            state = ms.from_odoo_sms(sms.state) or ms.SENT
            if state == ms.FAILED:
                outcomes[message.id] = oc.refused(sms.failure_type or "sms error")
                continue
            outcomes[message.id] = oc.accepted(sms.uuid, state)
            trackers.append({"sms_uuid": sms.uuid, "clinic_reminder_message_id": message.id})
        # sudo: sms.tracker - technical link from IAP's reports to our messages
        self.env["sms.tracker"].sudo().create(trackers)
        return outcomes

    # ------------------------------------------------------------------
    # Callbacks and inbound messages
    # ------------------------------------------------------------------

    @api.model
    def _by_code(self, code):
        if not usable_key(code, max_length=64):
            return self.browse()
        # sudo: clinic.reminder.gateway - callback routing only; the caller proves
        # knowledge of the gateway's key before anything is written
        return self.sudo().search([("code", "=", code)], limit=1)

    def _message_for(self, provider_id=None, reference=None):
        """This gateway's message with our ``reference`` or the provider's id."""
        self.ensure_one()
        Message = self.env["clinic.reminder.message"]
        if reference:
            found = Message.search(
                [("gateway_id", "=", self.id), ("reference", "=", reference)], limit=1
            )
            if found:
                return found
        if provider_id:
            return Message.search(
                [("gateway_id", "=", self.id), ("provider_message_id", "=", provider_id)],
                limit=1,
            )
        return Message

    def _process_callback(self, payload):
        """Apply one signed request of a generic HTTP gateway; True if it changed something.

        ``{"id", "status", "reference"?, "error"?}`` is a delivery report;
        ``{"from", "text", "id"?}`` a patient's message. Raises the shared
        verifier's BadRequest (answered 400) on anything else.
        """
        self.ensure_one()
        if "text" in payload:
            sender, text, inbound_id = payload.get("from"), payload.get("text"), payload.get("id")
            if not (
                isinstance(sender, str)
                and isinstance(text, str)
                and isinstance(inbound_id, str | None)
            ):
                raise signed_request.BadRequest("malformed message")
            reply = self.env["clinic.reminder.reply"]._receive(
                self, sender, text, inbound_id and f"http:{inbound_id}"
            )
            return bool(reply)
        status = payload.get("status")
        provider_id = payload.get("id")
        reference = payload.get("reference")
        error = payload.get("error")
        if (
            status not in ms.REPORTED
            or not isinstance(provider_id, str)
            or not isinstance(reference, str | None)
            or not isinstance(error, str | None)
        ):
            raise signed_request.BadRequest("malformed delivery report")
        message = self._message_for(provider_id, reference)
        if not message:
            _logger.info("Delivery report for unknown message %s on %s", provider_id, self.code)
            return False
        return message._apply_status(status, error)

    def _twilio_check(self, url, params, signature):
        """Twilio's ``X-Twilio-Signature`` over ``url`` and the POST ``params`` (C14)."""
        self.ensure_one()
        from twilio.request_validator import RequestValidator

        # sudo: clinic.reminder.gateway - the Auth Token keys Twilio's signature
        token = self.sudo().api_token
        if self.kind != "twilio" or not token or not isinstance(signature, str):
            return False
        return RequestValidator(token).validate(url, params, signature)

    def _twilio_status(self, params, reference=None):
        """A verified status callback; True if it changed the message."""
        self.ensure_one()
        new = twilio_client.status(params.get("MessageStatus"))
        if not new:
            return False
        message = self._message_for(params.get("MessageSid"), reference)
        if not message:
            _logger.info("Twilio status for unknown message on %s", self.code)
            return False
        if not message.provider_message_id and params.get("MessageSid"):
            message.provider_message_id = params["MessageSid"]
        error = params.get("ErrorCode") and f"Twilio error {params['ErrorCode']}"
        return message._apply_status(new, error)

    def _twilio_inbound(self, params):
        """A verified incoming message to the clinic's Twilio number (C12)."""
        self.ensure_one()
        sender, text, sid = params.get("From"), params.get("Body"), params.get("MessageSid")
        if not sender or text is None or not sid:
            raise signed_request.BadRequest("malformed incoming message")
        return self.env["clinic.reminder.reply"]._receive(self, sender, text, f"twilio:{sid}")

    @api.model
    def _cron_smpp_receive(self):
        """Every minute: bind each SMPP gateway, record its receipts and replies (C14)."""
        commit = cron.may_commit()
        for gateway in self.search([("kind", "=", "smpp")]):
            try:
                gateway._smpp_receive(commit)
            except smpp_client.SmppError as exc:
                _logger.warning("SMPP gateway %s: %s", gateway.code, exc)

    def _smpp_receive(self, commit=False, idle=1.0, limit=30.0):
        """Collect what the SMSC kept for us, record it, then acknowledge it."""
        self.ensure_one()
        session = self._smpp_session()
        try:
            deliveries = session.collect(idle=idle, limit=limit)
            self._smpp_record(deliveries)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            # Acknowledged only once recorded: a crash before makes the SMSC resend.
            session.ack(deliveries)
        finally:
            session.close()
        return deliveries

    def _smpp_record(self, deliveries):
        Reply = self.env["clinic.reminder.reply"]
        for delivery in deliveries:
            if delivery.receipt:
                message = self._message_for(delivery.message_id)
                if message and delivery.status:
                    message._apply_status(delivery.status, delivery.text[:200])
            else:
                Reply._receive(self, f"+{delivery.sender.lstrip('+')}", delivery.text, None)

    # ------------------------------------------------------------------
    # Telegram: linking patients to their chat, and their messages
    # ------------------------------------------------------------------

    def _telegram_link(self, partner):
        """Deep link ``https://t.me/<bot>?start=<payload>`` that ties ``partner`` to
        the chat in which they open it, once; False when there is no usable link."""
        self.ensure_one()
        if self.kind != "telegram" or not self.telegram_bot_username:
            return False
        # sudo: res.partner - the link's nonce is kept on the patient, out of users' reach
        patient = partner.sudo()
        if not patient._clinic_telegram_nonce_valid():
            return False
        nonce = patient.clinic_telegram_nonce
        payload = telegram_link.make_payload(self._key(keys.LINK_SIGNING), partner.id, nonce)
        return telegram_link.deep_link(self.telegram_bot_username, payload)

    def _check_telegram_secret(self, token):
        """Telegram proves its webhook calls with the ``secret_token`` set by setWebhook."""
        self.ensure_one()
        secret = self._key(keys.TELEGRAM_WEBHOOK)
        return bool(secret and isinstance(token, str)) and hmac.compare_digest(
            token.encode(), secret.encode()
        )

    def _telegram_update(self, update):
        """Apply one update of the bot's webhook (C9, C12, 11.3).

        ``/start <payload>`` from a patient's one-time link ties the chat to that
        patient; a chat already linked to someone else, or a patient already linked
        to another chat, is only proposed to the clinic. Any other text of a chat is
        the patient's reply. Returns ``"linked"``, ``"proposed"``, ``"reply"`` or
        False. Raises the shared verifier's BadRequest (400) on a malformed update.
        """
        self.ensure_one()
        message = update.get("message")
        if not isinstance(message, dict):
            return False  # edited messages, channel posts...: nothing to do
        chat = message.get("chat")
        chat_id = chat.get("id") if isinstance(chat, dict) else None
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise signed_request.BadRequest("malformed Telegram update")
        text = message.get("text")
        if text is not None and not isinstance(text, str):
            raise signed_request.BadRequest("malformed Telegram update")
        payload = telegram_link.start_payload(text)
        if payload is not None:
            return self._telegram_start(str(chat_id), payload)
        if not text:
            return False
        update_id = update.get("update_id")
        reference = f"telegram:{update_id}" if isinstance(update_id, int) else None
        self.env["clinic.reminder.reply"]._receive(self, str(chat_id), text, reference)
        return "reply"

    def _telegram_start(self, chat_id, payload):
        found = telegram_link.read_payload(self._key(keys.LINK_SIGNING), payload)
        if not found:
            return False
        partner_id, nonce = found
        Partner = self.env["res.partner"]
        # Two /start at once: the second waits and finds the nonce spent.
        self.env.cr.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", [partner_id])
        patient = Partner.browse(partner_id).exists().filtered("is_patient")
        if not patient._clinic_telegram_nonce_valid() or patient.clinic_telegram_nonce != nonce:
            return False  # spent, replaced, expired or never issued
        return patient._clinic_telegram_link_chat(chat_id)

    def action_telegram_set_webhook(self):
        """Register this gateway's webhook with the Bot API (``setWebhook``)."""
        self.ensure_one()
        self.check_access("write")
        if self.kind != "telegram":
            raise UserError(_("Only a Telegram bot has a webhook to register."))
        # sudo: clinic.reminder.gateway - the bot token goes to Telegram only
        token = self.sudo().api_token
        (reply,) = http_client.post_all(
            [
                (
                    f"{(self.url or TELEGRAM_API).rstrip('/')}/bot{token}/setWebhook",
                    {
                        "url": self.telegram_webhook_url,
                        "secret_token": self._key(keys.TELEGRAM_WEBHOOK),
                        "allowed_updates": ["message"],
                    },
                    {},
                )
            ],
            workers=1,
        )
        if not reply.json.get("ok"):
            raise UserError(
                _(
                    "Telegram refused the webhook: %(error)s",
                    error=reply.error or reply.json.get("description") or reply.status,
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "Telegram now sends the bot's messages to %(url)s.",
                    url=self.telegram_webhook_url,
                ),
            },
        }
