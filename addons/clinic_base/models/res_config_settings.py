from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_phone_country_id = fields.Many2one(
        related="company_id.country_id",
        readonly=False,
        string="Country for phone numbers",
    )
