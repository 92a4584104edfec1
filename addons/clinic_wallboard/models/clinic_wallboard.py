import logging
import time
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import board

GROUP = "clinic_wallboard.group_wallboard"
NOTIFICATION = "clinic_wallboard/panels"
SUBCHANNEL = "clinic_wallboard"
# The panels a change of each source redraws (see res.company._clinic_wallboard_changed).
PANELS_OF = {
    "calls": ("phones", "today", "missed"),
    "missed": ("missed",),
    "rooms": ("rooms",),
    "reminders": ("reminders",),
}
PANELS = ("phones", "rooms", "missed", "reminders", "today")
REMINDER_KINDS = ("reminder", "followup")
# A board reads what changed READ_DELAY (wallboard.js) after it hears of it, so a change
# committed less than QUIET after this process's last notice of the same panel is read
# with it: no notice needed (READ_DELAY - QUIET leaves 0.15 s for that commit to end).
QUIET = 0.15
# {(database, company id, panel): monotonic time of this process's last notice, committed}
_last_notice = {}
_logger = logging.getLogger(__name__)
MISSED_ROWS = 12
# Today's calls, missed calls and, with call analytics, calls that led to a booking (T7).
TODAY = """
    SELECT count(*), count(*) FILTER (WHERE call_type = 'missed'), 0
      FROM clinic_call WHERE company_id = %s AND start_date >= %s AND start_date < %s
"""
TODAY_WITH_BOOKINGS = """
    SELECT count(*), count(*) FILTER (WHERE call_type = 'missed'),
           count(*) FILTER (WHERE has_booking)
      FROM clinic_call WHERE company_id = %s AND start_date >= %s AND start_date < %s
"""


def _dt(value):
    return fields.Datetime.to_string(value) if value else False


class ClinicWallboard(models.AbstractModel):
    """The front desk's day on one screen (X1).

    Each panel reads one source addon when it is installed (``self.env.get``):
    the board depends on ``clinic_base`` only and shows what exists. Panels are
    computed for a company, not for a viewer: whoever is in the "Wallboard" group
    sees the same board, so a change is computed once and pushed to every open
    board of the clinic (P8). They carry short names, counts and times only.
    """

    _name = "clinic.wallboard"
    _description = "Front-desk wallboard"

    @api.model
    def get_board(self):
        """The board of the current company (the client action's first load)."""
        self._check_board_access()
        company = self.env.company
        __, stop = company._clinic_day_bounds(company._clinic_today())
        return {
            "company_id": company.id,
            "company": company.name,
            "day_end": _dt(stop),
            "server_now": _dt(fields.Datetime.now()),
            "panels": self._panels(company, PANELS),
            "reminder_colours": self._reminder_colour_labels(),
        }

    @api.model
    def get_panels(self, names):
        """The panels among ``names`` of the current company: what a board reads again
        when its channel says they changed."""
        self._check_board_access()
        if not isinstance(names, list) or not set(names) <= set(PANELS):
            raise UserError(_("Unknown wallboard panels: %s", names))
        company = self.env.company
        return {"company_id": company.id, "panels": self._panels(company, names)}

    def _check_board_access(self):
        if not self.env.user.has_group(GROUP):
            raise AccessError(_("Only members of the Wallboard group may open the wallboard."))

    @api.model
    def _panels(self, company, names):
        """``{panel: data}`` for the panels among ``names`` whose source is installed; a
        panel that fails is logged and left out, the others still reach the board."""
        panels = {}
        for name in names:
            try:
                with self.env.cr.savepoint(flush=False):
                    data = getattr(self, f"_panel_{name}")(company)
            except Exception:
                _logger.exception("Wallboard panel %s of company %s failed", name, company.id)
                continue
            if data is not None:
                panels[name] = data
        return panels

    def _env_of(self, model, company):
        """``model`` of ``company``, or None when its addon is not installed."""
        if model not in self.env:
            return None
        # sudo: <model> (each panel's source) - read for one company only and reduced
        # to short names, counts and times (X1); get_board checked the Wallboard group.
        return self.env[model].sudo().with_company(company)

    # --- panels ------------------------------------------------------------------

    def _panel_phones(self, company):
        """Per desk phone: who works at it, and the call ringing or in progress.

        One query: it runs with every call event of the clinic (P2, P6, P8).
        """
        if self._env_of("clinic.telephony.phone", company) is None:
            return None
        lang = company.partner_id.lang or "en_US"
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT p.id, COALESCE(p.name->>%(lang)s, p.name->>'en_US'), p.extension,
                   holder.name, c.state, c.direction, COALESCE(c.answer_date, c.start_date),
                   c.hidden_number, c.number_e164, patient.name
              FROM clinic_telephony_phone p
              LEFT JOIN res_users u ON u.id = p.user_id
              LEFT JOIN res_partner holder ON holder.id = u.partner_id
              -- a ringing call rings at its phone, or at every phone of its ring group
              LEFT JOIN LATERAL (
                    SELECT c.* FROM clinic_call c
                     WHERE c.company_id = %(company)s AND c.state IN ('ringing', 'talking')
                       AND (c.phone_id = p.id OR c.id IN (
                            SELECT r.call_id FROM clinic_call_ring_phone_rel r
                             WHERE r.phone_id = p.id))
                     ORDER BY c.start_date, c.id
                     LIMIT 1) c ON TRUE
              LEFT JOIN res_partner patient ON patient.id = c.partner_id
             WHERE p.company_id = %(company)s AND p.active
             ORDER BY p.extension, p.id
            """,
            {"company": company.id, "lang": lang},
        )
        rows = []
        for row in self.env.cr.fetchall():
            phone_id, name, extension, holder, state, direction, since = row[:7]
            hidden, number, patient = row[7:]
            rows.append(
                {
                    "id": phone_id,
                    "name": name,
                    "extension": extension,
                    "holder": holder or "",
                    "state": state or "idle",
                    "direction": direction or False,
                    "since": _dt(since),
                    "caller": board.short_name(patient)
                    or ("" if hidden else board.masked_number(number)),
                }
            )
        return rows

    def _caller(self, call):
        if call.partner_id:
            return board.short_name(call.partner_id.name)
        return "" if call.hidden_number else board.masked_number(call.number_e164)

    def _panel_today(self, company):
        """Today's calls, the share missed and, with call analytics, the conversion (T7).

        One query, as for the phones.
        """
        Call = self._env_of("clinic.call", company)
        if Call is None:
            return None
        start, stop = company._clinic_day_bounds(company._clinic_today())
        analytics = "has_booking" in Call._fields
        self.env.flush_all()
        self.env.cr.execute(TODAY_WITH_BOOKINGS if analytics else TODAY, [company.id, start, stop])
        total, missed, booked = self.env.cr.fetchone()
        data = {"calls": total, "missed": missed, "missed_percent": board.percent(missed, total)}
        if analytics:
            data["conversion_percent"] = board.percent(booked, total)
        return data

    def _panel_missed(self, company):
        """Numbers to call back, first deadline first (T16); without the missed-call
        list, today's missed calls (no deadline)."""
        Missed = self._env_of("clinic.missed.call", company)
        if Missed is not None:
            return self._listed(
                Missed,
                [("company_id", "=", company.id), ("state", "=", "todo")],
                "deadline, id",
                lambda row: {
                    "id": row.id,
                    "name": board.short_name(row.partner_id.name)
                    or board.masked_number(row.number_e164),
                    "missed_count": row.missed_count,
                    "missed_at": _dt(row.missed_at),
                    "deadline": _dt(row.deadline),
                },
            )
        Call = self._env_of("clinic.call", company)
        if Call is None:
            return None
        start, stop = company._clinic_day_bounds(company._clinic_today())
        return self._listed(
            Call,
            [
                ("company_id", "=", company.id),
                ("call_type", "=", "missed"),
                ("start_date", ">=", start),
                ("start_date", "<", stop),
            ],
            "start_date desc, id desc",
            lambda call: {
                "id": call.id,
                "name": self._caller(call),
                "missed_count": 1,
                "missed_at": _dt(call.start_date),
                "deadline": False,
            },
        )

    def _listed(self, Model, domain, order, row):
        """The first rows of a list panel and how many there are in all."""
        records = Model.search(domain, order=order, limit=MISSED_ROWS)
        return {"count": Model.search_count(domain), "rows": [row(r) for r in records]}

    def _panel_rooms(self, company):
        """Patients really in each waiting room (W11) and since when (W9 colours)."""
        Room = self._env_of("clinic.waiting.room", company)
        if Room is None:
            return None
        threshold = company.clinic_waiting_threshold
        entries = self._env_of("clinic.waiting.entry", company).search(
            [
                ("company_id", "=", company.id),
                ("status", "in", ("waiting", "in_consultation", "on_hold")),
            ],
            order="arrival_dt, id",
        )
        rows = []
        for room in Room.search([("company_id", "=", company.id)]):
            visits = entries.filtered(lambda entry, room=room: entry.room_id == room)
            rows.append(
                {
                    "id": room.id,
                    "name": room.with_context(lang=company.partner_id.lang).name,
                    "patients": [
                        {
                            "id": visit.id,
                            "name": board.short_name(visit.patient_id.name),
                            "status": visit.status,
                            "arrival": _dt(visit.arrival_dt),
                            "levels": [
                                _dt(moment)
                                for moment in board.wait_levels(visit.arrival_dt, threshold)
                            ],
                        }
                        for visit in visits
                    ],
                }
            )
        return rows

    def _panel_reminders(self, company):
        """Tomorrow's reminder rows by colour (C6) and what they add up to."""
        Line = self._env_of("clinic.call.list.line", company)
        if Line is None or "reminder_colour" not in Line._fields:
            return None
        start, stop = company._clinic_day_bounds(company._clinic_today() + timedelta(days=1))
        groups = Line._read_group(
            [
                ("company_id", "=", company.id),
                ("list_kind", "in", REMINDER_KINDS),
                ("event_id.start", ">=", start),
                ("event_id.start", "<", stop),
            ],
            ["reminder_colour", "reminder_needs_call"],
            ["__count"],
        )
        return board.reminder_summary(groups)

    def _reminder_colour_labels(self):
        if "clinic.call.list.line" not in self.env:
            return {}
        field = self.env["clinic.call.list.line"]._fields.get("reminder_colour")
        return dict(field._description_selection(self.env)) if field else {}

    # --- live ----------------------------------------------------------------------

    @api.model
    def _push(self, changes):
        """Tell the open boards which panels of ``changes`` (``{company id: {source}}``)
        changed; each board reads them again with ``get_panels``, at most a few times a
        second however many events come in. Computing the panels here, once per event,
        doubled what a PBX event costs (P2, P6); the boards' reads are bounded by the
        boards' number instead of the events' rate (P8). On a busy line, a panel noticed
        less than QUIET ago is not noticed again (the notice's INSERT and NOTIFY cost as
        much as the PBX event itself)."""
        for company_id, sources in changes.items():
            company = self.env["res.company"].browse(company_id)
            names = [name for name in PANELS if any(name in PANELS_OF[s] for s in sources)]
            if "calls" in sources and "missed" not in sources and "clinic.missed.call" in self.env:
                # the missed-call list has its own hook ("missed"): a call event that
                # changes it says so; the others leave it as it is
                names.remove("missed")
            keys = {name: (self.env.cr.dbname, company_id, name) for name in names}
            now = time.monotonic()
            names = [n for n in names if now - _last_notice.get(keys[n], -QUIET) >= QUIET]
            if not names:
                continue
            payload = {"company_id": company.id, "changed": names}
            self.env["bus.bus"]._sendone((company, SUBCHANNEL), NOTIFICATION, payload)
            self.env.cr.postcommit.add(self._noticed_hook([keys[n] for n in names]))

    @staticmethod
    def _noticed_hook(keys):
        """Stamp the notice when it is really sent: a rolled back one covers nothing."""

        def noticed():
            now = time.monotonic()
            for key in keys:
                _last_notice[key] = now

        return noticed
