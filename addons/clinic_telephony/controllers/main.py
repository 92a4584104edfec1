from odoo import http
from odoo.addons.clinic_base.tools import signed_request
from odoo.http import request


class ClinicTelephonyController(http.Controller):
    """PBX-facing endpoints (SPEC T2 contract, T11) and recording playback (R5).

    Thin: hand the headers and the unread input stream to ``clinic.pbx`` (which
    checks them with clinic_base's ``verify_request``), map the verdict to HTTP.
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
        # The stream, not the body: the size cap is checked before anything is read.
        status, answer = request.env["clinic.pbx"]._webhook_receive(
            pbx_code, httprequest.headers, signed_request.input_stream(httprequest)
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
        httprequest = request.httprequest
        status, answer = request.env["clinic.pbx"]._callerid_lookup(
            pbx_code, httprequest.headers, httprequest.query_string, number
        )
        return request.make_json_response(answer, status=status)

    @http.route("/clinic/telephony/recording/<int:call_id>", type="http", auth="user")
    def recording(self, call_id):
        url = request.env["clinic.call"]._recording_url(call_id)
        if not url:
            raise request.not_found()
        return request.redirect(url, local=False)
