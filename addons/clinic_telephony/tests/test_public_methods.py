"""R7: clinic_telephony's public methods are the ones its screens call."""

from odoo.addons.clinic_base.tests.public_methods import PublicMethodsCase
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase, TransactionCase):
    ADDON = "clinic_telephony"
    ALLOWED = {
        "clinic.call": {
            # Call card buttons (services/clinic_telephony_service.js).
            "action_add_patient",
            "action_book_appointment",
            "action_choose_patient",
            # "Hang up" on a click-to-call that has not connected yet (T12).
            "action_hang_up",
            # Click-to-call from forms, the appointment panel and the history (T5).
            "dial",
            # "Play" button of the call history (views/clinic_call_views.xml).
            "action_play_recording",
        },
        # "Regenerate secret" button of the PBX form.
        "clinic.pbx": {"action_regenerate_secret"},
        # Pause and resume buttons of the clinic settings (views/clinic_settings_views.xml).
        "clinic.settings": {"action_pause_telephony", "action_resume_telephony"},
        # Shift dialog and bottom control (services/clinic_telephony_service.js), the
        # bottom control's pause and resume for managers (T10).
        "res.users": {
            "clinic_telephony_session_info",
            "clinic_telephony_set_paused",
            "clinic_telephony_set_phone",
        },
    }
