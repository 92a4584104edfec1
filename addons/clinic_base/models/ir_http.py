import json

import werkzeug.exceptions

from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        if cls._clinic_is_public_json(rule.endpoint):
            cls._clinic_check_json_envelope()
        return super()._pre_dispatch(rule, args)

    @classmethod
    def _clinic_is_public_json(cls, endpoint):
        """A JSON route of a clinic addon that strangers may call (patient pages)."""
        routing = endpoint.routing
        return (
            routing.get("type") == "json"
            and routing.get("auth") in ("public", "none")
            and (endpoint.__module__ or "").startswith("odoo.addons.clinic_")
        )

    @classmethod
    def _clinic_check_json_envelope(cls):
        """Refuse a body that is no JSON-RPC call with named parameters (400, issue 11.8).

        Odoo's dispatcher would answer it with a server error carrying a Python
        traceback; a stranger gets a short 400 instead, before anything runs.
        """
        try:
            payload = json.loads(request.httprequest.get_data(as_text=True))
        except ValueError:
            cls._clinic_refuse_json(400, "Invalid JSON data")
        if not isinstance(payload, dict) or not isinstance(payload.get("params", {}), dict):
            cls._clinic_refuse_json(400, "Invalid JSON-RPC call: params must be an object")

    @classmethod
    def _clinic_refuse_json(cls, status, message):
        """End a public JSON route with ``status`` and a short JSON-RPC error (no traceback).

        Raised through ``abort`` so that Odoo's error handler, which adds the
        traceback, is bypassed; Odoo's web client reads the error like any other.
        """
        error = {"code": status, "message": message, "data": {"name": "", "message": message}}
        response = request.make_json_response(
            {"jsonrpc": "2.0", "id": None, "error": error}, status=status
        )
        werkzeug.exceptions.abort(response)
