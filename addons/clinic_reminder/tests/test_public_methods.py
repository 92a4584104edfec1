"""R7: clinic_reminder's public methods are the ones its screens call."""

from odoo.addons.clinic_base.tests.public_methods import PublicMethodsCase
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase, TransactionCase):
    ADDON = "clinic_reminder"
    ALLOWED = {
        # Double-click on a reminder row (static/src/list/, operator screen patch);
        # Confirm / Cancel / Read buttons of a replied row (reminder calls list, C12).
        "clinic.call.list.line": {
            "action_reminder_toggle_handled",
            "action_reminder_reply_confirm",
            "action_reminder_reply_cancel",
            "action_reminder_reply_read",
        },
        # Campaign form buttons ("Send now" wakes the outbox dispatcher, C11).
        "clinic.reminder.campaign": {
            "action_build_followup",
            "action_dispatch_now",
            "action_evening_sms",
            "action_open_list",
            "action_send",
        },
        # "Register webhook" button of the gateway form.
        "clinic.reminder.gateway": {"action_telegram_set_webhook"},
        # "Resend" on a message whose outcome is unknown (messages list and form, C11).
        "clinic.reminder.message": {"action_resend"},
        # Buttons of the patients' replies list and form (C12).
        "clinic.reminder.reply": {
            "action_cancel_appointment",
            "action_confirm_appointment",
            "action_mark_read",
        },
        # Patient form: new Telegram link, confirm or reject a proposed chat (11.3).
        "res.partner": {
            "action_clinic_telegram_confirm_chat",
            "action_clinic_telegram_new_link",
            "action_clinic_telegram_reject_chat",
        },
    }
