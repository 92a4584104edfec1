from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

from ..tools import opening_hours
from ..tools import waiting_state as ws


class ClinicWaitingRoom(models.Model):
    """A virtual waiting area (W1); staff watching it hear about it on its bus channel."""

    _name = "clinic.waiting.room"
    _description = "Virtual waiting room"
    _inherit = ["bus.listener.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    watcher_id = fields.Many2one(
        "res.users",
        "Message watcher",
        domain=[("share", "=", False)],
        help="Staff member who watches the patients' messages of this room (W5).",
    )
    entry_ids = fields.One2many("clinic.waiting.entry", "room_id", "Visits")
    hours_ids = fields.One2many(
        "clinic.waiting.room.hours",
        "room_id",
        "Opening hours",
        copy=True,
        help="In the clinic's time zone. Outside them, patients who have not arrived yet "
        "find the room closed and no arrival alert fires. None: always open.",
    )
    consent_text = fields.Text(
        "Consent text",
        translate=True,
        help="What patients accept when they check in (W12), in their language. "
        "Empty: they only confirm their name.",
    )

    # opening hours (W13) ----------------------------------------------------------

    def _is_open(self, now):
        """Whether the room is open at the naive UTC datetime ``now``."""
        self.ensure_one()
        zone = self.company_id._clinic_tz()
        return opening_hours.is_open(self._hours(), opening_hours.to_local(now, zone))

    def _hours(self):
        # sudo: clinic.waiting.room.hours - opening hours are shown to patients too
        return [(int(h.weekday), h.hour_from, h.hour_to) for h in self.sudo().hours_ids]

    def _next_opening_values(self, now):
        """When the room opens next after ``now``, for the patient page."""
        self.ensure_one()
        zone = self.company_id._clinic_tz()
        local = opening_hours.next_opening(self._hours(), opening_hours.to_local(now, zone))
        if not local:
            return False
        moment = opening_hours.to_utc(local, zone)
        return {
            "label": format_datetime(self.env, moment, tz=zone, dt_format="EEEE d MMMM, HH:mm"),
            "zone": zone,
            "in_seconds": int((moment - now).total_seconds()),
        }

    # the staff dashboard (W1, W3) ---------------------------------------------------

    @api.model
    def _dashboard_domain(self, status=None):
        """Visits shown on the dashboard: live links, optionally one status (W1)."""
        domain = [("expires_at", ">", fields.Datetime.now())]
        if status:
            if status not in ws.DISPLAY_STATUSES:
                raise UserError(_("Unknown waiting-room status: %s", status))
            domain.append(("status", "=", status))
        return domain

    def _dashboard_entries(self, status=None):
        self.ensure_one()
        return self.env["clinic.waiting.entry"].search(
            [("room_id", "=", self.id), *self._dashboard_domain(status)],
            order="arrival_dt, id",
        )

    def get_dashboard_data(self, status=None):
        """Everything the staff dashboard displays for one room (the first one when
        called on no room) and one status filter (W1)."""
        room = self[:1] or self.search([], limit=1)
        rooms = self.search([])
        status_field = self.env["clinic.waiting.entry"]._fields["status"]
        return {
            "room_id": room.id,
            "rooms": [{"id": r.id, "name": r.name} for r in rooms],
            # [value, label] in the user's language: the one declaration of the labels
            "statuses": status_field._description_selection(self.env),
            "devices": self.env["clinic.waiting.entry"]
            ._fields["device_status"]
            ._description_selection(self.env),
            # W9: the dashboard colours waiting times on its own clock
            "threshold": room.company_id.clinic_waiting_threshold,
            "server_now": fields.Datetime.to_string(fields.Datetime.now()),
            "entries": room._dashboard_entries(status)._dashboard_values() if room else [],
        }

    def action_notify_all(self, body, status=None):
        """W3: one message to every visit the dashboard displays for ``status``.

        The client sends the filter it shows, never a list of ids: the server
        recomputes the displayed set, so a caller who arrived after the page was
        drawn is reached too and a stale id cannot target another room.
        """
        self.ensure_one()
        self.check_access("read")
        entries = self._dashboard_entries(status)
        entries._post_clinic_message(body)
        return len(entries)
