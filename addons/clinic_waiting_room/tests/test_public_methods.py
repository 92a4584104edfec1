"""R7: clinic_waiting_room's public methods are the ones its screens call."""

from odoo.addons.clinic_base.tests.public_methods import PublicMethodsCase
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase, TransactionCase):
    ADDON = "clinic_waiting_room"
    ALLOWED = {
        # "Waiting room" button of the appointment form.
        "calendar.event": {"action_clinic_waiting_room"},
        # Visit form buttons, the dashboard, the notify dialog and the call menu patch.
        "clinic.waiting.entry": {
            "action_finish",
            "action_hold",
            "action_leave_call",
            "action_notify",
            "action_send_link",
            "action_send_link_sms",
            "action_start_video",
            "get_conversation",
        },
        # The dashboard (static/src/dashboard/).
        "clinic.waiting.room": {"action_notify_all", "get_dashboard_data"},
    }
