"""R7: clinic_calldrive_telephony's public methods are the ones its screens call."""

from odoo.addons.clinic_base.tests.public_methods import PublicMethodsCase
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase, TransactionCase):
    ADDON = "clinic_calldrive_telephony"
    ALLOWED = {
        # "Call back" button of the missed-calls list (T16).
        "clinic.missed.call": {"action_call_back"},
    }
