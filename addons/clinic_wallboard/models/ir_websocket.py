from odoo import models

from .clinic_wallboard import GROUP, SUBCHANNEL


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        """A board asks for ``res.company_<id>``: members of the Wallboard group who may
        read that company hear its board, on ``(company, "clinic_wallboard")`` (X1)."""
        channels = self._clinic_record_channels(
            channels, "res.company", group=GROUP, subchannel=SUBCHANNEL
        )
        return super()._build_bus_channel_list(channels)
