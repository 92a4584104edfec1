from odoo import api, fields, models

from ..tools import timezone as clinic_tz

TZ_SOURCES = [
    ("company", "Set for the company"),
    ("country", "The company's country"),
    ("users", "The company's users"),
    ("none", "Nothing set: UTC"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    clinic_tz = fields.Selection(
        related="partner_id.tz",
        readonly=False,
        string="Clinic time zone",
        help="Days (tomorrow's appointments, call lists) and hours (reminder times) are "
        "counted in this time zone. Empty: the country's, else the one most users work in.",
    )
    clinic_tz_in_force = fields.Char("Time zone in force", compute="_compute_clinic_tz_in_force")
    clinic_tz_source = fields.Selection(
        TZ_SOURCES, "Time zone taken from", compute="_compute_clinic_tz_in_force"
    )

    @api.depends("partner_id.tz", "country_id")
    def _compute_clinic_tz_in_force(self):
        for company in self:
            company.clinic_tz_in_force, company.clinic_tz_source = company._clinic_tz_resolution()

    def _clinic_tz_resolution(self):
        """``(time zone, where it comes from)`` of the company, never silently UTC (C13).

        The company's own setting, else its country's time zone when the country
        keeps one clock, else the zone most of its internal users work in; UTC
        only when none of these exists (Settings then says so).
        """
        self.ensure_one()
        # sudo: res.company - time zone names only; the reminder page and crons ask too
        company = self.sudo()
        if company.partner_id.tz:
            return company.partner_id.tz, "company"
        zone = clinic_tz.country_zone(company.country_id.code)
        if zone:
            return zone, "country"
        # sudo: res.users - counts the internal users' time zones, nothing else is read
        groups = (
            self.env["res.users"]
            .sudo()
            ._read_group(
                [("company_id", "=", company.id), ("share", "=", False), ("tz", "!=", False)],
                ["tz"],
                ["__count"],
            )
        )
        zone = clinic_tz.most_common(dict(groups))
        if zone:
            return zone, "users"
        return "UTC", "none"

    def _clinic_tz(self):
        """The company's time zone name (see :meth:`_clinic_tz_resolution`)."""
        return self._clinic_tz_resolution()[0]

    def _clinic_today(self):
        """The company's current date, in its time zone (not the user's)."""
        return clinic_tz.local_today(self._clinic_tz())

    def _clinic_day_bounds(self, day):
        """Naive UTC ``(start, stop)`` of the calendar ``day`` in the company's time zone."""
        return clinic_tz.day_bounds(day, self._clinic_tz())

    def _clinic_wallboard_changed(self, panel):
        """Hook: what the wallboard's ``panel`` of these companies shows changed (X1).

        Addons call it where their live screens hear a change (a call, an arrival,
        a reminder answer); ``clinic_wallboard``, when installed, pushes the panel
        again. Nothing to do without it.
        """

    def write(self, vals):
        # Settings screens write every value they show: only a real move re-reads numbers.
        moved = "country_id" in vals and self.filtered(
            lambda company: company.country_id.id != (vals["country_id"] or False)
        )
        res = super().write(vals)
        if moved:
            self.env.registry.clear_cache()
            # Stored E.164 forms depend on the country used to read national numbers.
            Phone = self.env[
                "clinic.partner.phone"
            ].sudo()  # sudo: clinic.partner.phone - recompute only, no data exposed
            rows = Phone.search([])
            self.env.add_to_compute(Phone._fields["number_e164"], rows)
        return res
