from odoo import models


class DiscussChannelRtcSession(models.Model):
    _inherit = "discuss.channel.rtc.session"

    def unlink(self):
        """W6: when the last staff member leaves a visit's call, the visit goes on hold
        (if staff pressed Hold first) or ends."""
        staff_channels = self.filtered("partner_id").channel_id
        result = super().unlink()
        for channel in staff_channels.exists():
            # sudo: discuss.channel.rtc.session - sessions left in the visit's own call
            if channel.sudo().rtc_session_ids.filtered("partner_id"):
                continue
            channel._clinic_waiting_entry()._on_staff_left_call()
        return result
