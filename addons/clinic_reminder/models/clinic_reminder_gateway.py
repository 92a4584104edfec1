import hmac
import logging
import secrets
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons.clinic_base.tools import signed_request
from odoo.addons.clinic_base.tools.public_input import usable_key
from odoo.exceptions import UserError, ValidationError

from ..exceptions import GatewayError
from ..tools import channel_rules, http_client, telegram_link
from ..tools import message_state as ms

_logger = logging.getLogger(__name__)

KINDS = [
    ("http_json", "JSON HTTP gateway"),
    ("telegram", "Telegram Bot API"),
    ("odoo_sms", "Odoo SMS"),
]
CHANNELS = [("messenger", "Messenger"), ("sms", "SMS")]
TELEGRAM_API = "https://api.telegram.org"
# Days a Telegram deep link stays usable (R3: links expire).
TELEGRAM_LINK_DAYS = 30


class ClinicReminderGateway(models.Model):
    """A way to reach patients: SMS provider, messenger bot or Odoo SMS (C9).

    ``http_json`` speaks the small JSON protocol documented in
    :mod:`..tools.local_gateway` (the local test gateway implements it; most
    SMS providers' HTTP APIs map onto it). ``telegram`` calls the Bot API's
    ``sendMessage`` with the patient's chat id. ``odoo_sms`` hands the text
    to Odoo's ``sms`` module (IAP).
    """

    _name = "clinic.reminder.gateway"
    _description = "Reminder delivery gateway"
    _order = "sequence, id"

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        help="Identifies the gateway in its callback URL /clinic/reminder/callback/<code>.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(KINDS, required=True, default="http_json")
    channel = fields.Selection(CHANNELS, required=True, default="sms")
    url = fields.Char("API URL", help="Base URL; Telegram: leave empty for the public Bot API.")
    api_token = fields.Char("API token", groups="clinic_base.group_clinic_manager", copy=False)
    webhook_secret = fields.Char(
        "Callback secret",
        groups="clinic_base.group_clinic_manager",
        copy=False,
        default=lambda self: secrets.token_hex(32),
        help="Shared secret of the HMAC-SHA256 signature on delivery callbacks.",
    )
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

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The gateway code must be unique."),
    ]

    @api.constrains("kind", "channel")
    def _check_kind_channel(self):
        for gateway in self:
            if gateway.kind == "telegram" and gateway.channel != "messenger":
                raise ValidationError(_("A Telegram bot is a messenger channel."))
            if gateway.kind == "odoo_sms" and gateway.channel != "sms":
                raise ValidationError(_("Odoo SMS is an SMS channel."))

    def _compute_callback_url(self):
        base = self.browse().get_base_url()
        for gateway in self:
            gateway.callback_url = f"{base}/clinic/reminder/callback/{gateway.code}"
            gateway.telegram_webhook_url = f"{base}/clinic/reminder/telegram/{gateway.code}"

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _clinic_recipients(self, partners):
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

    def _clinic_not_connected_text(self):
        self.ensure_one()
        return _("Not connected to %(channel)s", channel=self.channel)

    def _clinic_check_rules(self, message):
        self.ensure_one()
        # sudo: res.partner - the window only needs the patient's last inbound date
        last = message.partner_id.sudo().clinic_messenger_last_inbound
        try:
            channel_rules.check_window(
                message.is_template, last, fields.Datetime.now(), self.window_hours
            )
        except channel_rules.ChannelRuleError as exc:
            raise GatewayError(str(exc)) from exc

    def _clinic_send_all(self, messages):
        """Hand ``messages`` to the provider.

        Returns ``{message id: (provider id, state)}`` for accepted messages and
        ``{message id: error}`` for refused ones.
        """
        self.ensure_one()
        accepted, refused, specs, waiting = {}, {}, [], []
        for message in messages:
            try:
                self._clinic_check_rules(message)
                if self.kind != "odoo_sms":
                    specs.append(getattr(self, f"_clinic_request_{self.kind}")(message))
                waiting.append(message)
            except GatewayError as exc:
                refused[message.id] = str(exc)
        if self.kind == "odoo_sms":
            return self._clinic_send_odoo_sms(waiting, accepted, refused)
        parse = getattr(self, f"_clinic_parse_{self.kind}", None)
        replies = http_client.post_all(specs, self.concurrency)
        for message, reply in zip(waiting, replies, strict=True):
            try:
                accepted[message.id] = parse(reply)
            except GatewayError as exc:
                refused[message.id] = str(exc)
        return accepted, refused

    def _clinic_request_http_json(self, message):
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
            {"Authorization": f"Bearer {token}"},
        )

    def _clinic_parse_http_json(self, reply):
        if not reply.ok or not reply.json.get("id"):
            raise GatewayError(reply.error or reply.json.get("error") or f"HTTP {reply.status}")
        return str(reply.json["id"]), ms.SENT

    def _clinic_request_telegram(self, message):
        # sudo: clinic.reminder.gateway - the bot token is part of the Bot API URL
        token = self.sudo().api_token
        return (
            f"{(self.url or TELEGRAM_API).rstrip('/')}/bot{token}/sendMessage",
            {"chat_id": message.recipient, "text": message.body},
            {},
        )

    def _clinic_parse_telegram(self, reply):
        if not reply.json.get("ok"):
            raise GatewayError(
                reply.error or reply.json.get("description") or f"HTTP {reply.status}"
            )
        # The Bot API has no delivery receipts: an accepted message is in the
        # patient's chat (blocked bots and unknown chats are refused above).
        return str(reply.json["result"]["message_id"]), ms.DELIVERED

    def _clinic_send_odoo_sms(self, messages, accepted, refused):
        """Hand ``messages`` to Odoo's SMS (IAP) in one batch; fills ``accepted``/``refused``.

        A tracker per SMS routes IAP's later delivery reports (``/sms/status``)
        to the message, see ``sms.tracker``.
        """
        if not messages:
            return accepted, refused
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
        trackers = []
        for message, sms in zip(messages, sms_records, strict=True):
            state = ms.from_odoo_sms(sms.state) or ms.SENT
            if state == ms.FAILED:
                refused[message.id] = sms.failure_type or "sms error"
                continue
            accepted[message.id] = (sms.uuid, state)
            trackers.append({"sms_uuid": sms.uuid, "clinic_reminder_message_id": message.id})
        # sudo: sms.tracker - technical link from IAP's reports to our messages
        self.env["sms.tracker"].sudo().create(trackers)
        return accepted, refused

    # ------------------------------------------------------------------
    # Callbacks
    # ------------------------------------------------------------------

    @api.model
    def _clinic_by_code(self, code):
        if not usable_key(code, max_length=64):
            return self.browse()
        # sudo: clinic.reminder.gateway - callback routing only; the caller proves
        # knowledge of the secret before anything is written
        return self.sudo().search([("code", "=", code)], limit=1)

    def _clinic_callback_secret(self):
        self.ensure_one()
        # sudo: clinic.reminder.gateway - the secret is compared, never returned
        return self.sudo().webhook_secret

    def _clinic_process_callback(self, payload):
        """Apply one signed delivery report; returns True if it changed something.

        Raises the shared verifier's BadRequest (answered 400) on a malformed report.
        """
        self.ensure_one()
        status = payload.get("status")
        provider_id = payload.get("id")
        error = payload.get("error")
        if (
            status not in ms.STATES
            or not isinstance(provider_id, str)
            or not isinstance(error, str | None)
        ):
            raise signed_request.BadRequest("malformed delivery report")
        message = self.env["clinic.reminder.message"].search(
            [("gateway_id", "=", self.id), ("provider_message_id", "=", provider_id)], limit=1
        )
        if not message:
            _logger.info("Delivery report for unknown message %s on %s", provider_id, self.code)
            return False
        return message._clinic_apply_status(status, payload.get("error"))

    # ------------------------------------------------------------------
    # Telegram: linking patients to their chat
    # ------------------------------------------------------------------

    def _clinic_telegram_link(self, partner):
        """Deep link ``https://t.me/<bot>?start=<payload>`` that ties ``partner`` to
        the chat in which they open it; False when this is no Telegram bot."""
        self.ensure_one()
        if self.kind != "telegram" or not self.telegram_bot_username:
            return False
        expires = fields.Date.context_today(self) + timedelta(days=TELEGRAM_LINK_DAYS)
        payload = telegram_link.make_payload(self._clinic_callback_secret(), partner.id, expires)
        return telegram_link.deep_link(self.telegram_bot_username, payload)

    def _clinic_check_telegram_secret(self, token):
        """Telegram proves its webhook calls with the ``secret_token`` set by setWebhook."""
        self.ensure_one()
        secret = self._clinic_callback_secret()
        return bool(secret and isinstance(token, str)) and hmac.compare_digest(
            token.encode(), secret.encode()
        )

    def _clinic_telegram_update(self, update):
        """Apply one update of the bot's webhook; True when it linked a chat (C9).

        ``/start <payload>`` from a deep link ties the chat to the patient the
        payload names; any message of a linked patient opens the messenger's
        free-text window (C10). Raises the shared verifier's BadRequest (400) on a
        malformed update.
        """
        self.ensure_one()
        message = update.get("message")
        if not isinstance(message, dict):
            return False  # edited messages, channel posts...: nothing to do
        chat = message.get("chat")
        chat_id = chat.get("id") if isinstance(chat, dict) else None
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise signed_request.BadRequest("malformed Telegram update")
        Partner = self.env["res.partner"]
        now = fields.Datetime.now()
        partner_id = telegram_link.read_payload(
            self._clinic_callback_secret(),
            telegram_link.start_payload(message.get("text")),
            fields.Date.context_today(self),
        )
        patient = Partner.browse(partner_id).exists().filtered("is_patient")
        if patient:
            patient.write(
                {"clinic_telegram_chat_id": str(chat_id), "clinic_messenger_last_inbound": now}
            )
            return True
        Partner.search([("clinic_telegram_chat_id", "=", str(chat_id))]).write(
            {"clinic_messenger_last_inbound": now}
        )
        return False

    def action_telegram_set_webhook(self):
        """Register this gateway's webhook with the Bot API (``setWebhook``)."""
        self.ensure_one()
        self.check_access("write")
        if self.kind != "telegram":
            raise UserError(_("Only a Telegram bot has a webhook to register."))
        # sudo: clinic.reminder.gateway - the bot token and secret go to Telegram only
        gateway = self.sudo()
        (reply,) = http_client.post_all(
            [
                (
                    f"{(self.url or TELEGRAM_API).rstrip('/')}/bot{gateway.api_token}/setWebhook",
                    {
                        "url": self.telegram_webhook_url,
                        "secret_token": gateway.webhook_secret,
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
