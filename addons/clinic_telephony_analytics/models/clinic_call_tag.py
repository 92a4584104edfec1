from odoo import _, fields, models
from odoo.exceptions import UserError


class ClinicCallTag(models.Model):
    """A tag the administrator sets on a call after hanging up (T9).

    Tags cannot be renamed (a tag means what it meant when it was set); an
    unused tag is deleted and a new one created instead.
    """

    _name = "clinic.call.tag"
    _description = "Call tag"
    _order = "group_id, sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    group_id = fields.Many2one(
        "clinic.call.tag.group", "Group", required=True, ondelete="cascade", index=True
    )

    _sql_constraints = [
        (
            "name_group_uniq",
            "unique(group_id, name)",
            "This group already has a tag with this name.",
        ),
    ]

    def write(self, vals):
        if "name" in vals and any(tag.name != vals["name"] for tag in self):
            raise UserError(_("A tag cannot be renamed; delete it and create a new one."))
        return super().write(vals)
