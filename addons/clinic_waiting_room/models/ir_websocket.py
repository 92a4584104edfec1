import re

from odoo import models

ROOM_CHANNEL = re.compile(r"^clinic\.waiting\.room_(\d+)$")


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        """Staff dashboards subscribe to ``clinic.waiting.room_<id>``; the server turns it
        into the room record only for operators allowed to read that room."""
        channels = list(channels)
        room_ids = []
        for channel in list(channels):
            match = isinstance(channel, str) and ROOM_CHANNEL.match(channel)
            if match:
                channels.remove(channel)
                room_ids.append(int(match.group(1)))
        if room_ids and self.env.user.has_group("clinic_base.group_clinic_operator"):
            channels.extend(self.env["clinic.waiting.room"].search([("id", "in", room_ids)]))
        return super()._build_bus_channel_list(channels)
