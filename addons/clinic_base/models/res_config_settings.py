from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_phone_country_id = fields.Many2one(
        related="company_id.country_id",
        readonly=False,
        string="Country for phone numbers",
    )
    clinic_tz = fields.Selection(related="company_id.clinic_tz", readonly=False)
    clinic_tz_in_force = fields.Char(related="company_id.clinic_tz_in_force")
    clinic_tz_source = fields.Selection(related="company_id.clinic_tz_source")
