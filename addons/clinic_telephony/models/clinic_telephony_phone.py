from odoo import fields, models


class ClinicTelephonyPhone(models.Model):
    """A desk phone (extension) of a PBX and who works at it this shift (T1)."""

    _name = "clinic.telephony.phone"
    _description = "Clinic desk phone"
    _order = "extension, id"

    name = fields.Char(required=True, translate=True)
    extension = fields.Char(required=True)
    pbx_id = fields.Many2one("clinic.pbx", "PBX", required=True, ondelete="cascade", index=True)
    # Not necessarily the PBX's: one PBX may serve the desk phones of several clinics.
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users", "Current holder", index="btree_not_null", ondelete="set null", copy=False
    )
    holder_since = fields.Datetime("Holder since", copy=False)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("extension_uniq", "unique (pbx_id, extension)", "An extension is unique per PBX."),
        ("user_uniq", "unique (user_id)", "A user works at one phone at a time."),
    ]

    def _summary(self):
        self.ensure_one()
        return {"id": self.id, "name": self.name, "extension": self.extension}
