from odoo import http
from odoo.http import request

from ..tools.events import MAX_BODY


class ClinicTelephonyController(http.Controller):
    """PBX-facing endpoints (SPEC T2 contract, T11) and recording playback (R5).

    Thin: read the raw request, delegate to ``clinic.pbx``, map the verdict to HTTP.
    """

    @http.route(
        "/clinic/telephony/<string:pbx_code>/events",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def events(self, pbx_code):
        httprequest = request.httprequest
        # An announced oversized body is not even read; the contract answers 400.
        too_large = (httprequest.content_length or 0) > MAX_BODY
        body = None if too_large else httprequest.get_data()
        headers = request.httprequest.headers
        status, answer = request.env["clinic.pbx"].clinic_webhook_receive(
            pbx_code, headers.get("X-Clinic-Timestamp"), headers.get("X-Clinic-Signature"), body
        )
        return request.make_json_response(answer, status=status)

    @http.route(
        "/clinic/telephony/<string:pbx_code>/callerid",
        type="http",
        auth="public",
        methods=["GET"],
        save_session=False,
    )
    def callerid(self, pbx_code, number=None):
        headers = request.httprequest.headers
        status, answer = request.env["clinic.pbx"].clinic_callerid_lookup(
            pbx_code,
            headers.get("X-Clinic-Timestamp"),
            headers.get("X-Clinic-Signature"),
            request.httprequest.query_string,
            number,
        )
        return request.make_json_response(answer, status=status)

    @http.route("/clinic/telephony/recording/<int:call_id>", type="http", auth="user")
    def recording(self, call_id):
        url = request.env["clinic.call"].clinic_recording_url(call_id)
        if not url:
            raise request.not_found()
        return request.redirect(url, local=False)
