from odoo import fields, models


class ClinicCallTagGroup(models.Model):
    """A renamable group of call tags, e.g. "Why no booking" (T9)."""

    _name = "clinic.call.tag.group"
    _description = "Call tag group"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    tag_ids = fields.One2many("clinic.call.tag", "group_id", "Tags")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A tag group with this name already exists."),
    ]

    def write(self, vals):
        res = super().write(vals)
        if "name" in vals:
            # A renamed group stays one group in history and reports.
            self.env["clinic.call.tag.line"]._rename_group(self)
        return res
