from odoo import fields, models


class ClinicCallResult(models.Model):
    _inherit = "clinic.call.result"

    # Handlers of the reminder and follow-up results (C15), run by clinic.call.list.line.
    handler = fields.Selection(
        selection_add=[
            ("reschedule", "Request another date"),
            ("cancel", "Cancel the appointment"),
        ],
        ondelete={"reschedule": "set null", "cancel": "set null"},
    )
