from odoo import fields, models


class ClinicCallAttempt(models.Model):
    """One attempt at a row: who called, when, with what result (C3 history)."""

    _name = "clinic.call.attempt"
    _description = "Call attempt"
    _order = "start desc, id desc"

    line_id = fields.Many2one(
        "clinic.call.list.line", required=True, ondelete="cascade", index=True
    )
    list_id = fields.Many2one(related="line_id.list_id", store=True, index=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    partner_id = fields.Many2one(related="line_id.partner_id")
    user_id = fields.Many2one("res.users", "Operator", required=True, index=True)
    start = fields.Datetime(required=True)
    end = fields.Datetime()
    result_id = fields.Many2one("clinic.call.result", ondelete="restrict")
    is_success = fields.Boolean(related="result_id.is_success")
    comment = fields.Text()
    outcome = fields.Selection(
        [
            ("open", "In progress"),
            ("finished", "Finished"),
            ("aborted", "Aborted"),
            ("released", "Released by another user"),
        ],
        default="open",
        required=True,
    )
