from odoo import api, fields, models


class ClinicCallResult(models.Model):
    """Outcome an operator picks when finishing a row (C3), configurable per list kind."""

    _name = "clinic.call.result"
    _description = "Call result status"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        "_selection_kind",
        "List kind",
        help="Kind of call list this result is offered for; empty means every kind.",
    )
    is_success = fields.Boolean(
        "Successful",
        help="A successful result closes the row and updates its object "
        "(appointment confirmed, task done, item processed).",
    )
    comment_required = fields.Boolean(
        help="The operator must write a comment when choosing this result."
    )
    handler = fields.Selection(
        [("confirm", "Confirm the appointment")],
        "Action on the appointment",
        help="What finishing a row with this result does to the row's appointment, in place "
        "of the list kind's default for a successful result (C15).",
    )

    @api.model
    def _selection_kind(self):
        # Follows the list kinds, including those other addons add (selection_add).
        return self.env["clinic.call.list"]._fields["kind"]._description_selection(self.env)

    @api.model
    def _for_kind(self, kind):
        return self.search(["|", ("kind", "=", False), ("kind", "=", kind)])
