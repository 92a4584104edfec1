"""R7: clinic_wallboard's public methods are the ones its screens call."""

from odoo.addons.clinic_base.tests.public_methods import PublicMethodsCase
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase, TransactionCase):
    ADDON = "clinic_wallboard"
    ALLOWED = {
        # The wallboard client action's first load and its reads of the panels its
        # channel says changed (X1); both check the Wallboard group.
        "clinic.wallboard": {"get_board", "get_panels"},
    }
