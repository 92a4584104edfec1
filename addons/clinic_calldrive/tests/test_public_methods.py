"""R7: clinic_calldrive's public methods: its views' buttons and the operator screen's calls."""

from odoo.addons.clinic_base.tests.public_methods import PublicMethodsCase
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase, TransactionCase):
    ADDON = "clinic_calldrive"
    ALLOWED = {
        "clinic.call.list": {
            "action_open_operator",
            "action_refresh",
            "operator_lists",
            "operator_results",
            "operator_rows",
        },
        "clinic.call.list.add": {"action_add"},
        "clinic.call.list.line": {
            "action_abort",
            "action_finish",
            "action_force_release",
            "action_start_call",
            "operator_card",
        },
        # Defined on the operator-screen mixin the row inherits (one method, two models).
        "clinic.call.operator.mixin": {"operator_card"},
        "res.partner": {"action_open_clinic_call_attempts"},
    }
