from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request


class ClinicWaitingRoomController(http.Controller):
    """The patient's side of the waiting room: every route starts from the link token
    (R3) and delegates to ``clinic.waiting.entry``.

    Bad input gets a 4xx with a short message, never a traceback (issue 11.8): the
    JSON routes answer through clinic_base's ``ir.http._clinic_refuse_json``, which
    also refuses a body that is no JSON-RPC call before anything runs.
    """

    @staticmethod
    def _refuse(status, message):
        request.env["ir.http"]._clinic_refuse_json(status, message)

    def _entry_from_token(self, token):
        entry = request.env["clinic.waiting.entry"]._get_by_token(token)
        if not entry:
            self._refuse(404, "Unknown or expired link")
        return entry.with_context(lang=entry.patient_id.lang or request.env.lang)

    def _call(self, method, *args):
        """Run a patient action, mapping refusals to 403 and bad input to 400."""
        try:
            return method(*args)
        except AccessError as exc:
            self._refuse(403, str(exc))
        except UserError as exc:
            self._refuse(400, str(exc))

    @http.route("/clinic/wait/<string:token>", type="http", auth="public", methods=["GET"])
    def patient_page(self, token):
        entry = request.env["clinic.waiting.entry"]._get_by_token(token)
        if not entry:
            raise NotFound()
        # the guest cookie lets the page join the bus as the patient (W11) and their call
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
        entry = self._entry_from_token(token)
        return self._call(entry._patient_page_values)

    @http.route("/clinic/wait/<string:token>/checkin", type="json", auth="public")
    def patient_checkin(self, token, name_confirmed=None, consent_accepted=None):
        entry = self._entry_from_token(token)
        self._call(entry._patient_checkin, name_confirmed, consent_accepted)
        return entry._patient_page_values()

    @http.route("/clinic/wait/<string:token>/device", type="json", auth="public")
    def patient_device(self, token, result=None):
        entry = self._entry_from_token(token)
        if not isinstance(result, str):
            self._refuse(400, "result must be a text")
        self._call(entry._patient_device_result, result)
        return {"device": entry.device_status}

    @http.route(
        "/clinic/wait/<string:token>/leave",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,  # navigator.sendBeacon sends no header; the link token authenticates
    )
    def patient_leave(self, token):
        """W11: the page is closing or going to the browser's back-forward cache,
        where its connection may stay open for minutes."""
        entry = request.env["clinic.waiting.entry"]._get_by_token(token)
        if not entry:
            raise NotFound()
        entry._patient_page_closed()
        return request.make_response("", status=204)

    @http.route("/clinic/wait/<string:token>/post", type="json", auth="public")
    def patient_post(self, token, body=None):
        entry = self._entry_from_token(token)
        if not isinstance(body, str):
            self._refuse(400, "body must be a text")
        message = self._call(entry._patient_post, body)
        return {**entry._patient_state_values(), "message": entry._message_values(message)[0]}
