"""C4: lock changes reach other operators' screens over the real websocket."""

import json

from websocket import WebSocketTimeoutException

from odoo.addons.bus.tests.common import WebsocketCase
from odoo.tests import tagged

from .common import CallDriveCommon


@tagged("post_install", "-at_install")
class TestLiveLocks(CallDriveCommon, WebsocketCase):
    def _watch_list(self, login, password, call_list):
        user = self.env["res.users"].search([("login", "=", login)])
        user.password = password
        session = self.authenticate(login, password)
        websocket = self.websocket_connect(cookie=f"session_id={session.sid};")
        self.subscribe(
            websocket, [f"clinic.call.list_{call_list.id}"], self.env["bus.bus"]._bus_last_id()
        )
        return websocket

    def test_c4_lock_reaches_other_operator_over_websocket(self):
        call_list = self._confirmation_list()
        line = self._line_of(call_list, self.anna)
        websocket = self._watch_list("clinic_operator", "clinic_operator_pw", call_list)
        line.with_user(self.operator2).action_start_call()
        self.trigger_notification_dispatching([call_list])
        notifications = json.loads(websocket.recv())
        message = notifications[0]["message"]
        self.assertEqual(message["type"], "clinic_calldrive/lock")
        self.assertEqual(
            message["payload"],
            {
                "list_id": call_list.id,
                "line_id": line.id,
                "state": "todo",
                "lock_stale": False,
                "lock_user": {"id": self.operator2.id, "name": "Otto Operator"},
            },
        )
        line.with_user(self.operator2).action_abort()
        self.trigger_notification_dispatching([call_list])
        message = json.loads(websocket.recv())[0]["message"]
        self.assertFalse(message["payload"]["lock_user"])

    def test_c4_list_channel_refused_to_non_operators(self):
        call_list = self._confirmation_list()
        websocket = self._watch_list("clinic_plain", "clinic_plain_pw", call_list)
        self._line_of(call_list, self.anna).with_user(self.operator2).action_start_call()
        self.trigger_notification_dispatching([call_list])
        websocket.settimeout(1)
        with self.assertRaises(WebSocketTimeoutException):
            websocket.recv()

    def test_c1_row_confirmed_elsewhere_leaves_other_screens(self):
        call_list = self._confirmation_list()
        line = self._line_of(call_list, self.anna)
        websocket = self._watch_list("clinic_operator", "clinic_operator_pw", call_list)
        # e.g. the patient confirmed through a reminder link (public page, hence sudo)
        self.event_anna.sudo().action_clinic_confirm()
        self.trigger_notification_dispatching([call_list])
        message = json.loads(websocket.recv())[0]["message"]
        self.assertEqual(message["type"], "clinic_calldrive/lock")
        self.assertEqual(
            (message["payload"]["line_id"], message["payload"]["state"]), (line.id, "cancelled")
        )
