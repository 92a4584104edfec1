from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import timeline

MIRRORED = ("phone", "mobile")
# The number to reach a patient: the mobile (texts and calls), then the landline, then the
# further numbers in their order.
SOURCE_PREFERENCE = {"mobile": 0, "phone": 1, "extra": 2}
TIMELINE_MAX_PAGE = 100


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

    def _clinic_numbers_to_reach(self):
        """``{partner id: clinic.partner.phone row}``: the number to call or text each
        patient on (one query for the batch).

        The one rule behind call-list rows, reminder messages and the waiting-room
        SMS: among the numbers that are phone numbers (they have an E.164 form),
        the mobile first, then the landline, then the further numbers in their order.
        """
        rows = self.env["clinic.partner.phone"].search_fetch(
            [("partner_id", "in", self.ids), ("number_e164", "!=", False)],
            ["partner_id", "source", "number", "number_e164"],
            order="sequence, id",
        )
        best = {}
        for row in rows.sorted(lambda r: SOURCE_PREFERENCE[r.source]):  # stable: keeps sequence
            best.setdefault(row.partner_id.id, row)
        return best

    @api.model
    def _clinic_search_by_number(self, raw_number, limit=None, companies=None):
        """Patients with ``raw_number`` among their numbers (T3, P1).

        One indexed equality on the normalised number; archived contacts and
        non-patients are left out. Returns an empty recordset for input that is
        not a phone number. ``companies`` (default: the user's current ones) are
        the clinics whose patients may be found, e.g. the company of the PBX or
        desk phone that took the call; the first one decides how national
        numbers are read.
        """
        companies = self.env.companies if companies is None else companies
        e164 = self.env["clinic.partner.phone"]._normalize(raw_number, companies[:1])
        if not e164:
            return self.browse()
        return self.browse(self._clinic_ids_by_e164(e164, limit, companies))

    @api.model
    def _clinic_ids_by_e164(self, e164, limit=None, companies=None):
        """Ids of the patients of ``companies`` (default: the user's current ones) and
        of shared patients (no company) with the number ``e164`` (R6)."""
        companies = self.env.companies if companies is None else companies
        query = """
            SELECT DISTINCT ph.partner_id
              FROM clinic_partner_phone ph
              JOIN res_partner p ON p.id = ph.partner_id
             WHERE ph.number_e164 = %s AND p.is_patient AND p.active
               AND (ph.company_id IS NULL OR ph.company_id = ANY(%s))
             ORDER BY ph.partner_id
        """
        params = [e164, companies.ids]
        if limit:
            query += " LIMIT %s"
            params.append(limit)
        self.env["clinic.partner.phone"].flush_model(["number_e164", "partner_id", "company_id"])
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

    # --- communication timeline (X2) ---------------------------------------------

    def clinic_get_timeline(self, channels=None, after=None, limit=20):
        """One page of the patient's contacts with the clinic, newest first (X2).

        ``channels``: keys of the channels to show (all when empty); ``after``: the
        ``cursor`` of the previous page. Each source is one query with the viewer's
        own rights; a source the viewer may not read is left out altogether.
        Returns ``{"channels": [[key, label]], "entries": [...], "cursor"}``.
        """
        self.ensure_one()
        self.check_access("read")
        if not isinstance(limit, int) or not 0 < limit <= TIMELINE_MAX_PAGE:
            raise UserError(_("A timeline page holds 1 to %s entries.", TIMELINE_MAX_PAGE))
        if channels is not None and not (
            isinstance(channels, list) and all(isinstance(c, str) for c in channels)
        ):
            raise UserError(_("Unknown timeline channels."))
        try:
            position = timeline.parse_cursor(after)
        except (TypeError, ValueError) as error:
            raise UserError(_("This timeline page does not exist.")) from error
        sources = self._clinic_timeline_sources()
        labels = {}
        for source in sources:
            labels.setdefault(source["channel"], source["label"])
        pages = []
        for source in sources:
            if channels and source["channel"] not in channels:
                continue
            domain = timeline.after_cursor(source["date_field"], source["rank"], position)
            page = source["fetch"](domain, timeline.order(source["date_field"]), limit + 1)
            for entry in page:
                entry.update(rank=source["rank"], channel=source["channel"])
            pages.append(page)
        entries, next_cursor = timeline.merge(pages, limit)
        for entry in entries:
            entry["date"] = fields.Datetime.to_string(entry["date"])
        return {"channels": list(labels.items()), "entries": entries, "cursor": next_cursor}

    def _clinic_timeline_sources(self):
        """The timeline's sources this viewer may read (X2); each addon adds its own.

        A source is ``{"channel", "label", "rank", "date_field", "fetch"}``: the rank
        (unique, fixed) orders entries of the same second, and ``fetch(domain, order, limit)``
        returns at most ``limit`` entries of this patient matching ``domain``, newest
        first, in one query: dicts with ``id``, ``date`` (UTC datetime), ``model``,
        ``res_id`` (the record the entry opens), ``title`` and ``details`` (texts).
        """
        self.ensure_one()
        return []
