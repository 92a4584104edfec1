"""R7: clinic_reminder's public methods are the ones its screens call."""

from odoo.addons.clinic_base.tests.public_methods import PublicMethodsCase
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase, TransactionCase):
    ADDON = "clinic_reminder"
    ALLOWED = {
        # Double-click on a reminder row (static/src/list/, operator screen patch).
        "clinic.call.list.line": {"action_reminder_toggle_handled"},
        # Campaign form buttons.
        "clinic.reminder.campaign": {
            "action_build_followup",
            "action_evening_sms",
            "action_open_list",
            "action_send",
        },
        # "Register webhook" button of the gateway form.
        "clinic.reminder.gateway": {"action_telegram_set_webhook"},
    }
