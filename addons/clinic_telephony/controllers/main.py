from odoo import http
from odoo.addons.clinic_base.tools import signed_request
from odoo.http import request


class ClinicTelephonyController(http.Controller):
    """PBX-facing endpoints (SPEC T2 contract, T11) and recording playback (R5, T15).

    Thin: hand the headers and the unread input stream to ``clinic.pbx`` (which
    checks them with clinic_base's ``verify_request``), map the verdict to HTTP.
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
        """The call's recording as stored in Odoo, with HTTP Range (T15); never the PBX's URL."""
        call = request.env["clinic.call"]._recording_for_playback(call_id)
        if not call:
            raise request.not_found()
        stream = request.env["ir.binary"]._record_to_stream(call, "recording_file")
        stream.mimetype = call.recording_mimetype or "application/octet-stream"
        stream.download_name = f"call-{call.id}"
        stream.as_attachment = False
        return stream.get_response()
