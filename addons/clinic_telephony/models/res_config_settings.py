from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clinic_telephony_paused = fields.Boolean(
        "Telephony paused",
        compute="_compute_clinic_telephony_paused",
        readonly=False,
        groups="clinic_base.group_clinic_manager",
        help="For the company being configured.",
    )
    clinic_recording_retention_days = fields.Integer(
        related="company_id.clinic_recording_retention_days", readonly=False
    )
    clinic_telephony_user_ids = fields.Many2many(
        "res.users",
        string="Users linked to telephony",
        compute="_compute_clinic_telephony",
        readonly=False,
        domain=[("share", "=", False)],
    )

    @api.depends("company_id")
    def _compute_clinic_telephony_paused(self):
        # One compute per field: a shared one would overwrite the value being saved.
        for settings in self:
            settings.clinic_telephony_paused = self.env["res.users"]._clinic_telephony_paused(
                settings.company_id
            )

    @api.depends("company_id")
    def _compute_clinic_telephony(self):
        linked = self.env["res.users"].search([("clinic_telephony_allowed", "=", True)])
        for settings in self:
            settings.clinic_telephony_user_ids = linked

    def set_values(self):
        res = super().set_values()
        Users = self.env["res.users"]
        Users.with_company(self.company_id)._clinic_telephony_set_paused(
            self.clinic_telephony_paused
        )
        linked = Users.search([("clinic_telephony_allowed", "=", True)])
        (linked - self.clinic_telephony_user_ids).clinic_telephony_allowed = False
        (self.clinic_telephony_user_ids - linked).clinic_telephony_allowed = True
        return res
