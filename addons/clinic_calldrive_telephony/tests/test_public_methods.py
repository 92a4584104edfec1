"""R7: clinic_calldrive_telephony adds no public method (its rows dial through clinic_dial)."""

from odoo.addons.clinic_base.tests.public_methods import PublicMethodsCase
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase, TransactionCase):
    ADDON = "clinic_calldrive_telephony"
    ALLOWED = {}
