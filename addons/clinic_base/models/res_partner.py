from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

MIRRORED = ("phone", "mobile")


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_patient = fields.Boolean("Patient", index=True, tracking=True)
    birthdate = fields.Date("Birth date", tracking=True)
    clinic_phone_ids = fields.One2many("clinic.partner.phone", "partner_id", string="All numbers")
    clinic_extra_phone_ids = fields.One2many(
        "clinic.partner.phone",
        "partner_id",
        string="Other numbers",
        domain=[("source", "=", "extra")],
        context={"default_source": "extra"},
    )
    appointment_ids = fields.One2many("calendar.event", "patient_id", "Appointments")
    appointment_count = fields.Integer(compute="_compute_appointment_count")

    @api.constrains("birthdate")
    def _check_birthdate(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.birthdate and partner.birthdate > today:
                raise ValidationError(_("A birth date cannot lie in the future."))

    def _compute_appointment_count(self):
        groups = self.env["calendar.event"]._read_group(
            [("patient_id", "in", self.ids)], ["patient_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.appointment_count = counts.get(partner.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._clinic_sync_phone_rows()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if any(name in vals for name in MIRRORED):
            self._clinic_sync_phone_rows()
        return res

    def _clinic_sync_phone_rows(self):
        """Mirror ``phone`` and ``mobile`` into indexed number rows."""
        Phone = self.env[
            "clinic.partner.phone"
        ].sudo()  # sudo: clinic.partner.phone - mirrors fields the user just wrote
        existing = Phone.search([("partner_id", "in", self.ids), ("source", "in", MIRRORED)])
        by_key = {(row.partner_id.id, row.source): row for row in existing}
        to_create, to_unlink = [], Phone
        for partner in self:
            for source in MIRRORED:
                value = (partner[source] or "").strip()
                row = by_key.get((partner.id, source))
                if value and row:
                    if row.number != value:
                        row.number = value
                elif value:
                    to_create.append(
                        {
                            "partner_id": partner.id,
                            "source": source,
                            "number": value,
                            "sequence": 1 if source == "phone" else 2,
                        }
                    )
                elif row:
                    to_unlink |= row
        to_unlink.unlink()
        Phone.create(to_create)

    @api.model
    def _clinic_search_by_number(self, raw_number, limit=None, company=None):
        """Patients with ``raw_number`` among their numbers (T3, P1).

        One indexed equality on the normalised number; archived contacts and
        non-patients are left out. Returns an empty recordset for input that is
        not a phone number. ``company`` (default: the current one) decides how
        national numbers are read, e.g. the company of the PBX that took the call.
        """
        e164 = self.env["clinic.partner.phone"]._normalize(raw_number, company)
        if not e164:
            return self.browse()
        return self.browse(self._clinic_ids_by_e164(e164, limit))

    @api.model
    def _clinic_ids_by_e164(self, e164, limit=None):
        query = """
            SELECT DISTINCT ph.partner_id
              FROM clinic_partner_phone ph
              JOIN res_partner p ON p.id = ph.partner_id
             WHERE ph.number_e164 = %s AND p.is_patient AND p.active
             ORDER BY ph.partner_id
        """
        params = [e164]
        if limit:
            query += " LIMIT %s"
            params.append(limit)
        self.env["clinic.partner.phone"].flush_model(["number_e164", "partner_id"])
        self.flush_model(["is_patient", "active"])
        self.env.cr.execute(query, params)
        ids = [row[0] for row in self.env.cr.fetchall()]
        # Respect record rules on partners: the SQL only narrows the candidates.
        return self.browse(ids)._filtered_access("read").ids

    def action_open_appointments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "clinic_base.action_clinic_appointment"
        )
        # The patient's own visits read best as a list (history and upcoming).
        action["views"] = sorted(action["views"], key=lambda v: v[1] != "list")
        action["domain"] = [("patient_id", "=", self.id)]
        action["context"] = {
            "default_patient_id": self.id,
        }
        return action
