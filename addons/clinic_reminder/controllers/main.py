import logging

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.clinic_base.tools import signed_request
from odoo.addons.clinic_reminder.tools import keys
from odoo.exceptions import UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

# A patient's page holds their appointment: no cache keeps it, no link leaks its token.
PATIENT_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


class TwilioForbidden(signed_request.RejectedRequest):
    """Twilio's signature does not match (403, as Twilio's own helpers answer)."""

    status = 403


class ClinicReminderController(http.Controller):
    @http.route(
        "/clinic/reminder/callback/<string:code>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def delivery_callback(self, code, **kwargs):
        """Signed delivery report of a gateway (C9).

        Checked by clinic_base's ``verify_request`` and answered with the SPEC T2
        status codes, like the PBX webhook: 400 malformed or oversized, 401 bad
        signature or stale timestamp, 404 unknown gateway; nothing is written then.
        """
        httprequest = request.httprequest
        try:
            gateway = self._gateway(code)
            body = signed_request.verify_request(
                gateway._key(keys.DELIVERY_REPORTS),
                httprequest.headers,
                signed_request.input_stream(httprequest),
            )
            # sudo: clinic.reminder.gateway - the HMAC above proves the gateway sent this
            changed = gateway.sudo()._process_callback(signed_request.json_object(body))
        except signed_request.RejectedRequest as exc:
            return self._rejected(code, exc)
        return request.make_json_response({"ok": True, "changed": changed})

    @http.route(
        "/clinic/reminder/telegram/<string:code>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def telegram_update(self, code, **kwargs):
        """The Telegram bot's webhook (C9): links patients who open their deep link.

        Telegram proves itself with the ``secret_token`` of setWebhook instead of
        an HMAC; size, code and secret are answered like the signed routes.
        """
        httprequest = request.httprequest
        try:
            gateway = self._gateway(code, kind="telegram")
            body = signed_request.read_body(
                httprequest.headers, signed_request.input_stream(httprequest)
            )
            token = httprequest.headers.get("X-Telegram-Bot-Api-Secret-Token")
            if not gateway._check_telegram_secret(token):
                raise signed_request.Unauthorized("bad secret token")
            # sudo: clinic.reminder.gateway - the secret token above proves Telegram sent this
            result = gateway.sudo()._telegram_update(signed_request.json_object(body))
        except signed_request.RejectedRequest as exc:
            return self._rejected(code, exc)
        return request.make_json_response({"ok": True, "result": result or None})

    @http.route(
        "/clinic/reminder/twilio/<string:code>/<string:hook>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def twilio_webhook(self, code, hook, **kwargs):
        """Twilio's status callbacks and incoming messages (C12, C14).

        Verified with the twilio package's ``RequestValidator`` over the URL Twilio
        was given and the POST parameters (``X-Twilio-Signature``, HMAC-SHA1 with
        the Auth Token: https://www.twilio.com/docs/usage/webhooks/webhooks-security).
        A bad signature is answered 403 and writes nothing.
        """
        httprequest = request.httprequest
        try:
            gateway = self._gateway(code, kind="twilio")
            if hook not in ("status", "inbound"):
                raise signed_request.UnknownSender("unknown hook")
            # Twilio posts a form, which Odoo parsed already (werkzeug's form limits);
            # the T2 size cap still holds for what it announced.
            announced = httprequest.headers.get("Content-Length") or "0"
            if not announced.isdigit() or int(announced) > signed_request.MAX_BYTES:
                raise signed_request.BadRequest("body too large")
            params = httprequest.form
            url = gateway.twilio_status_url if hook == "status" else gateway.twilio_inbound_url
            query = httprequest.query_string.decode("latin-1")
            if query:
                url = f"{url}?{query}"
            signature = httprequest.headers.get("X-Twilio-Signature")
            if not gateway._twilio_check(url, params, signature):
                raise TwilioForbidden("invalid signature")
            # sudo: clinic.reminder.gateway - Twilio's signature above proves Twilio sent this
            gateway = gateway.sudo()
            if hook == "status":
                gateway._twilio_status(params, httprequest.args.get("ref"))
            else:
                gateway._twilio_inbound(params)
        except signed_request.RejectedRequest as exc:
            return self._rejected(code, exc)
        # TwiML: nothing to answer back to the patient.
        return request.make_response(
            '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
            headers={"Content-Type": "text/xml"},
        )

    @staticmethod
    def _gateway(code, kind=None):
        """The gateway posting to ``code``; UnknownSender (404) before any reading."""
        gateway = request.env["clinic.reminder.gateway"]._by_code(code)
        if not gateway or (kind and gateway.kind != kind):
            raise signed_request.UnknownSender("unknown gateway")
        return gateway

    @staticmethod
    def _rejected(code, exc):
        _logger.warning("Rejected gateway request for %s: %s (%s)", code, exc, exc.status)
        return request.make_json_response(
            {"ok": False, "error": exc.public_message()}, status=exc.status
        )

    @http.route(
        "/clinic/r/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=False,
        sitemap=False,
    )
    def response_page(self, token, **kwargs):
        """The patient's personal page: Confirm / Reschedule / Cancel (C8, R3)."""
        event = request.env["calendar.event"]._clinic_reminder_find(token)
        if not event:
            raise NotFound()
        request.update_context(lang=event.patient_id.lang)
        event._clinic_reminder_mark_opened()
        return request.render(
            "clinic_reminder.response_page",
            event._clinic_reminder_page_values(token),
            headers=PATIENT_PAGE_HEADERS,
        )

    @http.route(
        "/clinic/r/<string:token>/<string:choice>",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def response_submit(self, token, choice, **kwargs):
        event = request.env["calendar.event"]._clinic_reminder_find(token)
        if not event or choice not in ("confirm", "reschedule", "cancel"):
            raise NotFound()
        request.update_context(lang=event.patient_id.lang)
        values = {}
        try:
            event._clinic_reminder_respond(choice)
        except UserError:
            values["error"] = True
        return request.render(
            "clinic_reminder.response_page",
            dict(event._clinic_reminder_page_values(token), **values),
            headers=PATIENT_PAGE_HEADERS,
        )
