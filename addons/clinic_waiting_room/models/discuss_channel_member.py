from odoo import models


class DiscussChannelMember(models.Model):
    _inherit = "discuss.channel.member"

    def _rtc_join_call(self, store=None, check_rtc_session_ids=None, camera=False):
        # 11.4, W7: a patient joins (or starts) the call of their visit only once staff
        # brought them into the consultation, and never after the visit
        if self.guest_id:
            entry = self.channel_id._clinic_visit()
            if entry:
                entry._check_guest_can("call")
        return super()._rtc_join_call(
            store=store, check_rtc_session_ids=check_rtc_session_ids, camera=camera
        )
