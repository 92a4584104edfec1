from odoo import models


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        """Operators hear the call lists they may read (C4 live locks): clinic_base's
        one rule turns ``clinic.call.list_<id>`` into the list record."""
        channels = self._clinic_record_channels(channels, "clinic.call.list")
        return super()._build_bus_channel_list(channels)
