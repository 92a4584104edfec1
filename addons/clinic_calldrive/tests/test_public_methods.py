"""R7: clinic_calldrive's public methods (today's list; the call-drive work reviews it)."""

from odoo.addons.clinic_base.tests.public_methods import PublicMethodsCase
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase, TransactionCase):
    ADDON = "clinic_calldrive"
    ALLOWED = {
        "clinic.call.list": {
            "action_open_operator",
            "action_refresh",
            "clinic_operator_lists",
            "clinic_operator_results",
            "clinic_operator_rows",
        },
        "clinic.call.list.add": {"action_add"},
        "clinic.call.list.line": {
            "action_abort",
            "action_finish",
            "action_force_release",
            "action_start_call",
            "clinic_operator_card",
        },
        "res.partner": {"action_open_clinic_call_attempts"},
    }
