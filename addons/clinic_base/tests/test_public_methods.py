"""R7: clinic_base's public methods are the ones its screens call."""

from odoo.tests import BaseCase, HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException

from .public_methods import PublicMethodsCase, public_methods

ODOO_BASE = type("BaseModel", (), {"__module__": "odoo.models", "create": lambda self: 0})


@tagged("post_install", "-at_install")
class TestPublicMethods(PublicMethodsCase, TransactionCase):
    ADDON = "clinic_base"
    ALLOWED = {
        # Buttons of the appointment form (views/calendar_event_views.xml).
        "calendar.event": {
            "action_clinic_arrived",
            "action_clinic_cancel",
            "action_clinic_confirm",
            "action_clinic_done",
            "action_clinic_no_show",
            "action_clinic_rebook",
            "action_clinic_request_reschedule",
            "action_open_patient",
        },
        # Smart button of the patient form; the operator screen calls it too. The
        # "Communication" tab's timeline widget (X2) reads its pages.
        "res.partner": {"action_open_appointments", "clinic_get_timeline"},
        # Save button of the clinic settings screen (issue 17).
        "clinic.settings": {"execute"},
    }


@tagged("post_install", "-at_install")
class TestPublicMethodsChecker(BaseCase):
    def test_r7_checker_sees_a_new_public_method(self):
        ours = type(
            "Ours",
            (ODOO_BASE,),
            {
                "__module__": "odoo.addons.clinic_x.models.thing",
                "create": lambda self: 1,  # override of an ORM method: not ours
                "action_go": lambda self: 1,
                "helper": staticmethod(lambda: 1),
                "_private": lambda self: 1,
                "label": "not a method",
            },
        )
        theirs = type("Theirs", (ours,), {"__module__": "odoo.addons.clinic_y.models.thing"})
        theirs.action_go = lambda self: 2  # override: still clinic_x's method
        theirs.action_more = lambda self: 2
        registry = {"x.thing": theirs}
        self.assertEqual(public_methods(registry, "clinic_x"), {"x.thing": {"action_go", "helper"}})
        self.assertEqual(public_methods(registry, "clinic_y"), {"x.thing": {"action_more"}})
        self.assertEqual(public_methods(registry, "clinic_z"), {})


@tagged("post_install", "-at_install")
class TestPrivateOverRpc(HttpCase):
    def test_r7_private_method_refused_over_rpc(self):
        self.authenticate("admin", "admin")
        params = {
            "model": "res.partner",
            "method": "_clinic_search_by_number",
            "args": ["+49301234567"],
            "kwargs": {},
        }
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request("/web/dataset/call_kw", params)
        self.assertIn("AccessError", str(caught.exception))
