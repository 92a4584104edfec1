from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def write(self, vals):
        res = super().write(vals)
        if "country_id" in vals:
            self.env.registry.clear_cache()
            # Stored E.164 forms depend on the country used to read national numbers.
            Phone = self.env[
                "clinic.partner.phone"
            ].sudo()  # sudo: clinic.partner.phone - recompute only, no data exposed
            rows = Phone.search([])
            self.env.add_to_compute(Phone._fields["number_e164"], rows)
        return res
