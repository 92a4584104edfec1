import json
import logging
import time

from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo import http
from odoo.addons.clinic_base.tools import signature
from odoo.exceptions import UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

# Delivery reports are tiny; anything bigger is not one.
MAX_CALLBACK_BYTES = 16 * 1024


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
        """Signed delivery report of a gateway (C9): 4xx and nothing written unless signed."""
        gateway, body = self._gateway_request(code)
        try:
            signature.verify(
                gateway._clinic_callback_secret(),
                request.httprequest.headers.get("X-Clinic-Timestamp"),
                request.httprequest.headers.get("X-Clinic-Signature"),
                body,
                now=time.time(),
            )
        except signature.SignatureError as exc:
            _logger.warning("Rejected delivery report for %s: %s", code, exc)
            raise Forbidden() from exc
        payload = self._json_object(body)
        try:
            # sudo: clinic.reminder.gateway - the HMAC above proves the gateway sent this
            changed = gateway.sudo()._clinic_process_callback(payload)
        except ValueError as exc:
            raise BadRequest() from exc
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
        """The Telegram bot's webhook (C9): links patients who open their deep link."""
        gateway, body = self._gateway_request(code, kind="telegram")
        token = request.httprequest.headers.get("X-Telegram-Bot-Api-Secret-Token")
        if not gateway._clinic_check_telegram_secret(token):
            _logger.warning("Rejected Telegram update for %s: bad secret token", code)
            raise Forbidden()
        update = self._json_object(body)
        try:
            # sudo: clinic.reminder.gateway - the secret token above proves Telegram sent this
            linked = gateway.sudo()._clinic_telegram_update(update)
        except ValueError as exc:
            raise BadRequest() from exc
        return request.make_json_response({"ok": True, "linked": linked})

    @staticmethod
    def _gateway_request(code, kind=None):
        """The gateway posting to ``code`` and the raw body; 400/404 before any parsing."""
        body = request.httprequest.get_data(cache=False)
        if len(body) > MAX_CALLBACK_BYTES:
            raise BadRequest()
        gateway = request.env["clinic.reminder.gateway"]._clinic_by_code(code)
        if not gateway or (kind and gateway.kind != kind):
            raise NotFound()
        return gateway, body

    @staticmethod
    def _json_object(body):
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise BadRequest() from exc
        if not isinstance(payload, dict):
            raise BadRequest()
        return payload

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
        return request.render(
            "clinic_reminder.response_page", event._clinic_reminder_page_values(token)
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
        )
