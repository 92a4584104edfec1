from odoo import models


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        """Staff dashboards hear the rooms they may read (W1, W8): clinic_base's one
        rule turns ``clinic.waiting.room_<id>`` into the room record."""
        channels = self._clinic_record_channels(channels, "clinic.waiting.room")
        return super()._build_bus_channel_list(channels)
