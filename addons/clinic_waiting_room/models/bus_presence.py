from odoo import api, models


class BusPresence(models.Model):
    """W11: a patient is in the waiting room while their page is open.

    The patient page connects to the bus with the visit's guest cookie and reports
    its presence like every Odoo page (``im_status`` service, ``update_presence``);
    Odoo marks the guest offline when the websocket closes
    (``ir.websocket._on_websocket_closed``). A change of the guest's status is a
    change of the visit's presence.
    """

    _inherit = "bus.presence"

    @api.model_create_multi
    def create(self, vals_list):
        presences = super().create(vals_list)
        presences.filtered("guest_id")._clinic_tell_visits({})
        return presences

    def write(self, vals):
        if "status" not in vals:
            return super().write(vals)
        guests = self.filtered("guest_id")
        before = {presence.id: presence.status for presence in guests}
        result = super().write(vals)
        guests._clinic_tell_visits(before)
        return result

    def _clinic_tell_visits(self, before):
        changed = self.filtered(lambda presence: before.get(presence.id) != presence.status)
        if not changed:
            return
        online = changed.filtered(lambda presence: presence.status != "offline").guest_id
        offline = changed.guest_id - online
        Entry = self.env["clinic.waiting.entry"]
        Entry._on_guest_presence(online, True)
        Entry._on_guest_presence(offline, False)
