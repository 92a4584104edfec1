from odoo import api, fields, models
from odoo.addons.clinic_base.models.clinic_settings import SETTINGS_RELOAD


class ClinicSettings(models.TransientModel):
    """Telephony block of the clinic settings (T1, T10, T15)."""

    _inherit = "clinic.settings"

    clinic_telephony_paused = fields.Boolean(related="company_id.clinic_telephony_paused")
    clinic_telephony_paused_by_id = fields.Many2one(
        related="company_id.clinic_telephony_paused_by_id"
    )
    clinic_telephony_paused_date = fields.Datetime(
        related="company_id.clinic_telephony_paused_date"
    )
    clinic_recording_retention_days = fields.Integer(
        related="company_id.clinic_recording_retention_days", readonly=False
    )
    clinic_telephony_user_ids = fields.Many2many(
        "res.users",
        string="Users linked to telephony",
        compute="_compute_clinic_telephony_user_ids",
        inverse="_inverse_clinic_telephony_user_ids",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Only these users choose a phone per shift, get call cards and may place calls.",
    )

    def _linked_users(self):
        """The current company's users linked to telephony."""
        return self.env["res.users"].search(
            [("clinic_telephony_allowed", "=", True), ("company_ids", "in", self.company_id.id)]
        )

    @api.depends("company_id")
    def _compute_clinic_telephony_user_ids(self):
        for settings in self:
            settings.clinic_telephony_user_ids = settings._linked_users()

    def _inverse_clinic_telephony_user_ids(self):
        # Runs as the settings are saved (see clinic.settings.create): users of other
        # companies and portal users are neither linked nor unlinked from here.
        for settings in self:
            linked = settings._linked_users()
            wanted = settings.clinic_telephony_user_ids.filtered_domain(
                [("share", "=", False), ("company_ids", "in", settings.company_id.id)]
            )
            (linked - wanted).clinic_telephony_allowed = False
            (wanted - linked).clinic_telephony_allowed = True

    def action_pause_telephony(self):
        """Pause button (T10): no call cards, no outgoing calls until resumed."""
        self.env["res.users"].clinic_telephony_set_paused(True)
        return SETTINGS_RELOAD

    def action_resume_telephony(self):
        self.env["res.users"].clinic_telephony_set_paused(False)
        return SETTINGS_RELOAD
