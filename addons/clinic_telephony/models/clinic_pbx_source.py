from odoo import fields, models


class ClinicPbxSource(models.Model):
    """An aggregator line of a PBX, e.g. a doctor directory's call tracking (T3)."""

    _name = "clinic.pbx.source"
    _description = "PBX aggregator source"
    _order = "pbx_id, name"

    pbx_id = fields.Many2one("clinic.pbx", "PBX", required=True, ondelete="cascade", index=True)
    source_code = fields.Char(
        "Source code", required=True, help="Value of the event's 'source' field for this line."
    )
    name = fields.Char(required=True, translate=True, help="E.g. 'ProDoctors'.")
    hide_number = fields.Boolean(
        "Hide number", default=True, help="Calls through this line never show the caller's number."
    )

    _sql_constraints = [
        ("source_code_uniq", "unique (pbx_id, source_code)", "A source code is unique per PBX."),
    ]
