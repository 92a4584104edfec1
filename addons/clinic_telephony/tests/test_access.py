"""Access rights (R5, T6): calls only for "Call history" users, over ORM and RPC."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import TelephonyCommon


@tagged("post_install", "-at_install")
class TestCallAccess(TelephonyCommon, TransactionCase):
    def test_r5_operator_cannot_read_calls(self):
        call = self.play("acc-1", ["call.ringing"])
        with self.assertRaises(AccessError):
            self.env["clinic.call"].with_user(self.operator).search([])
        with self.assertRaises(AccessError):
            call.with_user(self.operator).read(["number_e164"])

    def test_t6_history_user_reads_but_not_writes(self):
        call = self.play("acc-2", ["call.ringing"])
        calls = self.env["clinic.call"].with_user(self.historian).search([])
        self.assertIn(call, calls)
        with self.assertRaises(AccessError):
            call.with_user(self.historian).write({"partner_id": self.boris.id})
        with self.assertRaises(AccessError):
            call.with_user(self.historian).unlink()

    def test_r5_recording_url_not_readable_raw(self):
        call = self.play("acc-3", ["call.ringing"])
        with self.assertRaises(AccessError):
            call.with_user(self.historian).read(["recording_url"])

    def test_r5_events_and_secret_hidden_from_operators(self):
        with self.assertRaises(AccessError):
            self.env["clinic.call.event"].with_user(self.historian).search([])
        with self.assertRaises(AccessError):
            self.pbx.with_user(self.operator).read(["secret"])
        self.assertEqual(self.pbx.with_user(self.operator).read(["name"])[0]["name"], "Test PBX")

    def test_t4_card_actions_only_on_own_calls(self):
        call = self.play("acc-4", ["call.ringing", "call.answered"])
        self.assertTrue(call.with_user(self.operator).action_book_appointment())
        with self.assertRaises(AccessError):
            call.with_user(self.operator2).action_book_appointment()

    def test_t6_call_history_menu_visibility(self):
        menu = self.env.ref("clinic_telephony.menu_clinic_call_history")
        Menu = self.env["ir.ui.menu"]
        self.assertNotIn(menu.id, Menu.with_user(self.operator)._visible_menu_ids())
        self.assertIn(menu.id, Menu.with_user(self.historian)._visible_menu_ids())

    def test_t6_manager_has_call_history(self):
        manager = new_test_user(
            self.env, login="clinic_mgr", groups="clinic_base.group_clinic_manager"
        )
        self.assertTrue(manager.has_group("clinic_telephony.group_call_history"))


@tagged("post_install", "-at_install")
class TestCallAccessHttp(TelephonyCommon, HttpCase):
    def test_r5_rpc_read_refused_without_call_history(self):
        call = self.play("rpc-1", ["call.ringing"])
        self.authenticate("clinic_operator", "clinic_operator")
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/clinic.call/search_read",
                {
                    "model": "clinic.call",
                    "method": "search_read",
                    "args": [[]],
                    "kwargs": {"fields": ["number_e164"]},
                },
            )
        self.assertIn("AccessError", str(caught.exception))
        # The card API still works for the operator's own call.
        card = self.make_jsonrpc_request(
            "/web/dataset/call_kw/clinic.call/action_book_appointment",
            {
                "model": "clinic.call",
                "method": "action_book_appointment",
                "args": [[call.id]],
                "kwargs": {},
            },
        )
        self.assertEqual(card["res_model"], "calendar.event")

    def test_r5_rpc_read_allowed_with_call_history(self):
        self.play("rpc-2", ["call.ringing"])
        self.authenticate("clinic_historian", "clinic_historian")
        rows = self.make_jsonrpc_request(
            "/web/dataset/call_kw/clinic.call/search_read",
            {
                "model": "clinic.call",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["number_display"]},
            },
        )
        self.assertEqual(len(rows), 1)

    def test_r5_recording_route_access_checked(self):
        call = self.play(
            "rec-1",
            ["call.ringing", "call.answered", "call.ended", "call.recording"],
            recording_url="https://pbx.example.com/rec/rec-1.mp3",
        )
        url = f"/clinic/telephony/recording/{call.id}"
        self.authenticate("clinic_operator", "clinic_operator")
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 403)
        self.authenticate("clinic_historian", "clinic_historian")
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers["Location"], "https://pbx.example.com/rec/rec-1.mp3")
        response = self.url_open("/clinic/telephony/recording/999999", allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self.authenticate(None, None)
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
