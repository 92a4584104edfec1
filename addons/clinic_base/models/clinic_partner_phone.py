from odoo import api, fields, models, tools

from ..tools.phone import to_e164

SOURCES = [("phone", "Phone"), ("mobile", "Mobile"), ("extra", "Other")]


class ClinicPartnerPhone(models.Model):
    """One stored number of a contact, with its E.164 form indexed (T3, P1).

    The partner's ``phone`` and ``mobile`` fields are mirrored here
    automatically; further numbers (a relative's phone, a work line) are added
    as ``extra`` rows. Caller identification is an equality lookup on
    ``number_e164``.
    """

    _name = "clinic.partner.phone"
    _description = "Contact phone number"
    _order = "partner_id, sequence, id"
    _rec_name = "number"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    # The patient's company (R6): a patient without one is shared by every company.
    company_id = fields.Many2one(related="partner_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    source = fields.Selection(SOURCES, required=True, default="extra")
    label = fields.Char(help="Whose or which number this is, e.g. 'Mother', 'Work'.")
    number = fields.Char(required=True)
    number_e164 = fields.Char(
        "Number (E.164)",
        compute="_compute_number_e164",
        store=True,
        index=True,
        help="Normalised with the company's country; used for caller identification.",
    )

    def init(self):
        # A contact has at most one mirrored "phone" and one "mobile" row.
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS clinic_partner_phone_mirror_uniq
                   ON clinic_partner_phone (partner_id, source)
                WHERE source != 'extra'"""
        )

    @api.depends("number", "partner_id.company_id")
    def _compute_number_e164(self):
        for row in self:
            row.number_e164 = to_e164(row.number, row._region())

    def _region(self):
        company = self.partner_id.company_id or self.env.company
        return self._region_of_company(company.id)

    @api.model
    @tools.ormcache("company_id")
    def _region_of_company(self, company_id):
        # Cached: every incoming call needs it; res.company.write clears it.
        return (
            self.env["res.company"].browse(company_id).sudo().country_id.code
        )  # sudo: res.company - country code only

    @api.model
    def _normalize(self, raw, company=None):
        """E.164 form of ``raw`` in the company's country (default: current), or ``None``."""
        return to_e164(raw, self._region_of_company((company or self.env.company).id))
