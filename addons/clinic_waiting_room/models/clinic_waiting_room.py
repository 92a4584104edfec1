from odoo import _, api, fields, models
from odoo.exceptions import UserError

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

    @api.model
    def _dashboard_domain(self, state=None):
        """Visits shown on the dashboard: live links, optionally one status (W1)."""
        domain = [("expires_at", ">", fields.Datetime.now())]
        if state:
            if state not in ws.STATES:
                raise UserError(_("Unknown waiting-room status: %s", state))
            domain.append(("state", "=", state))
        return domain

    def _dashboard_entries(self, state=None):
        self.ensure_one()
        return self.env["clinic.waiting.entry"].search(
            [("room_id", "=", self.id), *self._dashboard_domain(state)],
            order="arrival_dt, id",
        )

    def get_dashboard_data(self, state=None):
        """Everything the staff dashboard displays for one room (the first one when
        called on no room) and one status filter (W1)."""
        room = self[:1] or self.search([], limit=1)
        rooms = self.search([])
        state_field = self.env["clinic.waiting.entry"]._fields["state"]
        return {
            "room_id": room.id,
            "rooms": [{"id": r.id, "name": r.name} for r in rooms],
            # [value, label] in the user's language: the one declaration of the labels
            "statuses": state_field._description_selection(self.env),
            "entries": room._dashboard_entries(state)._dashboard_values() if room else [],
        }

    def action_notify_all(self, body, state=None):
        """W3: one message to every visit the dashboard displays for ``state``.

        The client sends the filter it shows, never a list of ids: the server
        recomputes the displayed set, so a caller who arrived after the page was
        drawn is reached too and a stale id cannot target another room.
        """
        self.ensure_one()
        entries = self._dashboard_entries(state)
        entries._broadcast_clinic_message(body)
        return len(entries)
