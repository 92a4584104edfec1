from odoo import api, fields, models, tools


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

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _ids_by_extension
        return super().create(vals_list)

    def write(self, vals):
        if {"extension", "pbx_id", "active", "company_id"} & set(vals):
            self.env.registry.clear_cache()  # _ids_by_extension, _company_of
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _ids_by_extension
        return super().unlink()

    @api.model
    @tools.ormcache("pbx_id")
    def _ids_by_extension(self, pbx_id):
        """``{extension: phone id}`` of a PBX's active phones, cached per worker: every
        PBX event names its extension, and phones change rarely (P6)."""
        # sudo: clinic.telephony.phone - maps the extensions PBX events name to phones.
        phones = self.sudo().search([("pbx_id", "=", pbx_id)])
        return {phone.extension: phone.id for phone in phones}

    @api.model
    @tools.ormcache("phone_id")
    def _company_of(self, phone_id):
        """Company id of a desk phone, cached like :meth:`_ids_by_extension`."""
        # sudo: clinic.telephony.phone - the company of the phone a PBX event names.
        return self.sudo().browse(phone_id).company_id.id

    def _summary(self):
        self.ensure_one()
        return {"id": self.id, "name": self.name, "extension": self.extension}
