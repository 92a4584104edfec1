from odoo import models


class DiscussChannelRtcSession(models.Model):
    _inherit = "discuss.channel.rtc.session"

    def unlink(self):
        """W6: when the last staff member leaves a visit's call, the visit goes on hold
        (if staff pressed Hold first) or ends."""
        # sudo: discuss.channel - only which of these calls belong to a visit
        visit_channels = (
            self.filtered("partner_id").channel_id.sudo().filtered("clinic_waiting_entry_id")
        )
        result = super().unlink()
        for channel in visit_channels.exists():
            if channel.rtc_session_ids.filtered("partner_id"):
                continue
            channel._clinic_visit()._on_staff_left_call()
        return result
