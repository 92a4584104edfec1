"""C6: colour changes reach the operators of the list over the real websocket."""

import json

from websocket import WebSocketTimeoutException

from odoo.addons.bus.tests.common import WebsocketCase
from odoo.tests import tagged

from .common import ClinicReminderCommon


@tagged("post_install", "-at_install")
class TestLiveColours(ClinicReminderCommon, WebsocketCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit, cls.campaign = cls.make_sent_campaign(cls.anna, 9)
        cls.call_list = cls.campaign.list_id

    def watch(self, user, password):
        user.password = password
        session = self.authenticate(user.login, password)
        websocket = self.websocket_connect(cookie=f"session_id={session.sid};")
        self.subscribe(
            websocket, [f"clinic.call.list_{self.call_list.id}"], self.env["bus.bus"]._bus_last_id()
        )
        return websocket

    def test_c6_patient_answer_reaches_operator_live(self):
        websocket = self.watch(self.operator, "clinic_operator_pw")
        # sudo: calendar.event - acts as the public response page does
        self.visit.sudo()._clinic_reminder_respond("confirm")
        self.trigger_notification_dispatching([self.call_list])
        message = json.loads(websocket.recv())[0]["message"]
        self.assertEqual(message["type"], "clinic_reminder/colour")
        line = self.call_list.line_ids
        self.assertEqual(
            message["payload"],
            {
                "list_id": self.call_list.id,
                "lines": [[line.id, "green"]],
                "needs_call": [],
                "replied": [],
                "replied_count": 0,
            },
        )

    def test_c6_colours_not_sent_to_non_operators(self):
        websocket = self.watch(self.plain_user, "clinic_plain_pw")
        # sudo: calendar.event - acts as the public response page does
        self.visit.sudo()._clinic_reminder_respond("cancel")
        self.trigger_notification_dispatching([self.call_list])
        websocket.settimeout(1)
        with self.assertRaises(WebSocketTimeoutException):
            websocket.recv()
