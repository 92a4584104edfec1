from odoo import _, api, fields, models
from odoo.exceptions import AccessError

SETTINGS_RELOAD = {"type": "ir.actions.client", "tag": "soft_reload"}


class ClinicSettings(models.TransientModel):
    """The clinic's settings screen (Clinic › Configuration › Settings).

    Every field is a setting of the current company, declared by the addon it
    belongs to as ``related="company_id.<field>", readonly=False``, shown in its
    own block of the view. A clinic manager changes them here without Odoo's
    administrator right (issue 17): the model's access rights (clinic managers)
    are the right to change these fields, and nothing else of the company.
    Saving works as in Odoo's Settings: the record is created with the values,
    the related fields write them on the company, ``execute`` reloads the screen.
    """

    _name = "clinic.settings"
    _description = "Clinic settings"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    clinic_phone_country_id = fields.Many2one(
        related="company_id.country_id",
        readonly=False,
        string="Country for phone numbers",
    )
    clinic_tz = fields.Selection(related="company_id.clinic_tz", readonly=False)
    clinic_tz_in_force = fields.Char(related="company_id.clinic_tz_in_force")
    clinic_tz_source = fields.Selection(related="company_id.clinic_tz_source")

    def _check_current_company(self, vals):
        """Settings only ever change the company the user works in now."""
        company = vals.get("company_id")
        if company and company != self.env.company.id:
            raise AccessError(_("Clinic settings change the company you are working in."))

    @api.model_create_multi
    def create(self, vals_list):
        self.browse().check_access("create")
        for vals in vals_list:
            self._check_current_company(vals)
            vals["company_id"] = self.env.company.id
        # sudo: res.company - the related fields write this model's settings on the
        # current company, for a user whom the access rights allow to change them
        # (clinic managers); no other field of the company is reachable from here.
        records = super(ClinicSettings, self.sudo()).create(vals_list)
        return records.with_env(self.env)

    def write(self, vals):
        self.check_access("write")
        self._check_current_company(vals)
        # sudo: res.company - as in create: this model's settings of the current company.
        return super(ClinicSettings, self.sudo()).write(vals)

    def execute(self):
        """Save button: the values reached the company when the record was saved."""
        self.check_access("write")
        return SETTINGS_RELOAD
