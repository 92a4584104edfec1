import re

from odoo import models


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _clinic_record_channels(
        self, channels, model_name, group="clinic_base.group_clinic_operator", subchannel=None
    ):
        """``channels`` with every ``"<model_name>_<id>"`` name turned into its record
        (``(record, subchannel)`` with a ``subchannel``), for members of ``group``
        who may read it, and dropped for everyone else.

        The one access rule of the clinic's live screens (call lists, waiting
        rooms): the client asks for a name, the server decides whether the user
        hears that record's notifications. A refused name is removed rather than
        kept as a string channel, which anyone could otherwise listen to.
        """
        pattern = re.compile(rf"^{re.escape(model_name)}_(\d+)$")
        kept, ids = [], []
        for channel in channels:
            match = isinstance(channel, str) and pattern.match(channel)
            if match:
                ids.append(int(match.group(1)))
            else:
                kept.append(channel)
        if ids and self.env.user.has_group(group):
            records = self.env[model_name].browse(ids).exists()._filtered_access("read")
            kept.extend(records if subchannel is None else [(r, subchannel) for r in records])
        return kept
