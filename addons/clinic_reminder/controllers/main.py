import logging

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.clinic_base.tools import signed_request
from odoo.exceptions import UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

# A patient's page holds their appointment: no cache keeps it, no link leaks its token.
PATIENT_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


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
                gateway._clinic_callback_secret(),
                httprequest.headers,
                signed_request.input_stream(httprequest),
            )
            # sudo: clinic.reminder.gateway - the HMAC above proves the gateway sent this
            changed = gateway.sudo()._clinic_process_callback(signed_request.json_object(body))
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
            if not gateway._clinic_check_telegram_secret(token):
                raise signed_request.Unauthorized("bad secret token")
            # sudo: clinic.reminder.gateway - the secret token above proves Telegram sent this
            linked = gateway.sudo()._clinic_telegram_update(signed_request.json_object(body))
        except signed_request.RejectedRequest as exc:
            return self._rejected(code, exc)
        return request.make_json_response({"ok": True, "linked": linked})

    @staticmethod
    def _gateway(code, kind=None):
        """The gateway posting to ``code``; UnknownSender (404) before any reading."""
        gateway = request.env["clinic.reminder.gateway"]._clinic_by_code(code)
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
