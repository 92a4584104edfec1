from werkzeug.exceptions import BadRequest, Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request


class ClinicWaitingRoomController(http.Controller):
    """The patient's side of the waiting room: every route starts from the link token
    (R3) and delegates to ``clinic.waiting.entry``."""

    def _entry_from_token(self, token):
        entry = request.env["clinic.waiting.entry"]._get_by_token(token)
        if not entry:
            raise NotFound()
        return entry

    @http.route("/clinic/wait/<string:token>", type="http", auth="public", methods=["GET"])
    def patient_page(self, token):
        entry = self._entry_from_token(token)
        # the guest cookie lets the page listen to the visit on the bus and join its call
        entry.guest_id._set_auth_cookie()
        if entry.patient_id.lang:
            request.update_context(lang=entry.patient_id.lang)
        return request.render(
            "clinic_waiting_room.patient_page",
            {"token": token, "clinic_name": entry.company_id.name},
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    @http.route("/clinic/wait/<string:token>/data", type="json", auth="public")
    def patient_data(self, token):
        return self._entry_from_token(token)._patient_page_values()

    @http.route("/clinic/wait/<string:token>/post", type="json", auth="public")
    def patient_post(self, token, body):
        entry = self._entry_from_token(token)
        if not isinstance(body, str):
            raise BadRequest()
        try:
            message = entry._patient_post(body)
        except AccessError as exc:
            raise Forbidden() from exc
        return {**entry._patient_state_values(), "message": entry._message_values(message)[0]}
