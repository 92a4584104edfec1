import re

from odoo import models

LIST_CHANNEL = re.compile(r"^clinic\.call\.list_(\d+)$")


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        """Subscribe operators to the call lists they may read (C4 live locks)."""
        channels = list(channels)
        wanted = [c for c in channels if isinstance(c, str) and LIST_CHANNEL.match(c)]
        channels = [c for c in channels if c not in wanted]
        channels.extend(self._clinic_list_channels(wanted))
        return super()._build_bus_channel_list(channels)

    def _clinic_list_channels(self, names):
        """Record channels for the ``clinic.call.list_<id>`` names the user may hear.

        The server decides: only operators, only lists they can read, so lock
        notifications never reach anyone else.
        """
        ids = [int(LIST_CHANNEL.match(name).group(1)) for name in names]
        if not ids or not self.env.user.has_group("clinic_base.group_clinic_operator"):
            return []
        lists = self.env["clinic.call.list"].browse(ids).exists()
        return list(lists._filtered_access("read"))
