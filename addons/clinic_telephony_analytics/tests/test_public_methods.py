"""R7: clinic_telephony_analytics's public methods are the ones its screens call."""

from odoo.addons.clinic_base.tests.public_methods import PublicMethodsCase
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase, TransactionCase):
    ADDON = "clinic_telephony_analytics"
    ALLOWED = {
        # Post-call tag popup (static/src/tag_popup/).
        "clinic.call": {"save_tags", "tag_prompt"},
        # Buttons of the export wizard.
        "clinic.call.effectiveness.export": {"action_export_pdf", "action_export_xlsx"},
    }
