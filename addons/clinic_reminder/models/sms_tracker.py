from odoo import fields, models

from ..tools import message_state as ms


class SmsTracker(models.Model):
    """Odoo SMS delivery reports (IAP's ``/sms/status``) reach reminder messages (C9)."""

    _inherit = "sms.tracker"

    clinic_reminder_message_id = fields.Many2one(
        "clinic.reminder.message", "Reminder message", ondelete="cascade", index="btree_not_null"
    )

    def _action_update_from_sms_state(self, sms_state, failure_type=False, failure_reason=False):
        result = super()._action_update_from_sms_state(
            sms_state, failure_type=failure_type, failure_reason=failure_reason
        )
        status = ms.from_odoo_sms(sms_state)
        if status:
            for tracker in self.filtered("clinic_reminder_message_id"):
                tracker.clinic_reminder_message_id._apply_status(
                    status, failure_reason or failure_type or sms_state
                )
        return result

    def _action_update_from_provider_error(self, provider_error):
        result = super()._action_update_from_provider_error(provider_error)
        for tracker in self.filtered("clinic_reminder_message_id"):
            tracker.clinic_reminder_message_id._apply_status(ms.FAILED, provider_error)
        return result
