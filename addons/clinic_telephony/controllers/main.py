from odoo import http
from odoo.http import request

from ..tools.events import MAX_BODY


class ClinicTelephonyController(http.Controller):
    """PBX-facing endpoints (SPEC T2 contract, T11) and recording playback (R5, T15).

    Thin: read the raw request, delegate to ``clinic.pbx``, map the verdict to HTTP.
    """

    @http.route(
        "/clinic/telephony/<string:pbx_code>/events",
        type="http",
        # The PBX proves who it is with the HMAC signature, not with an Odoo user: no
        # user lookup, so the request's transaction starts with the event (P6).
        auth="none",
        readonly=False,  # Odoo's default for auth="none" routes is a read-only cursor
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
        """The call's recording as stored in Odoo, with HTTP Range (T15); never the PBX's URL."""
        call = request.env["clinic.call"]._recording_for_playback(call_id)
        if not call:
            raise request.not_found()
        stream = request.env["ir.binary"]._record_to_stream(call, "recording_file")
        stream.mimetype = call.recording_mimetype or "application/octet-stream"
        stream.download_name = f"call-{call.id}"
        stream.as_attachment = False
        return stream.get_response()
