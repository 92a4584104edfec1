"""X1, P8: the wallboard in headless Chromium, live over the real websocket."""

import json

from odoo.addons.bus.models.bus import channel_with_db, dispatch, hashable
from odoo.addons.bus.tests.common import WebsocketCase
from odoo.addons.clinic_base.tests.tour_pushers import TourPushersMixin
from odoo.addons.clinic_telephony.tools import events as ev
from odoo.addons.clinic_telephony.tools import simulator
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.clinic_wallboard import SUBCHANNEL
from .common import WallboardCommon


@tagged("post_install", "-at_install")
class TestWallboardTours(WallboardCommon, TourPushersMixin, WebsocketCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.board_user.password = "wb_tv_pw"
        cls.entry = cls.env["clinic.waiting.entry"].create(
            {"patient_id": cls.boris.id, "room_id": cls.room.id}
        )
        cls.visit = cls.tomorrow_visit(cls.anna)
        cls.reminder_list(cls.visit)

    def board_channel(self, env):
        return hashable(channel_with_db(env.cr.dbname, (env.company, SUBCHANNEL)))

    def subscribed(self, env):
        """The board in the browser listens on its clinic's channel."""
        return bool(dispatch._channels_to_ws.get(self.board_channel(env)))

    def wake(self, env):
        """Write the pending bus rows (precommit: the board's push among them) and wake
        the board's websocket, as the commit's NOTIFY would (the test cursor never commits)."""
        env.cr.flush()
        for websocket in dispatch._channels_to_ws.get(self.board_channel(env), []):
            websocket.trigger_notification_dispatching()

    def test_x1_board_live_for_a_call_an_arrival_and_a_reminder_answer(self):
        # the PBX simulator's single call to desk 1 from Anna's number: its first event
        steps = simulator.build_scenario(
            "single_call",
            simulator.Numbers(known="030 1234567", shared="030 7654321", unknown="030 999888"),
            ["101"],
            run_id="tour",
        )
        ringing = next(step.body for step in steps if step.body["type"] == ev.RINGING)

        def ring(env):
            self.pbx.with_env(env).sudo()._ingest(ev.parse_event(ringing), None)
            self.wake(env)

        def arrive(env):
            self.arrive(self.entry.with_env(env))
            self.wake(env)

        def confirm(env):
            # sudo: calendar.event - acts as the public response page does
            self.visit.with_env(env).sudo()._clinic_reminder_respond("confirm")
            self.wake(env)

        pushers = [
            (self.subscribed, ring),
            (
                lambda env: env["clinic.call"].search_count(
                    [("pbx_call_id", "=", ringing["call_id"])]
                ),
                arrive,
            ),
            (lambda env: env["clinic.waiting.entry"].browse(self.entry.id).arrival_dt, confirm),
        ]
        self.run_tour_with_pushers(
            "/odoo/wallboard", "clinic_wallboard_live_tour", "wb_tv", pushers=pushers
        )

    @mute_logger("odoo.http")
    def test_x1_board_refused_without_the_group_in_the_ui_and_over_rpc(self):
        self.operator.password = "clinic_operator_pw"
        self.start_tour("/odoo/wallboard", "clinic_wallboard_refused_tour", login="clinic_operator")
        self.authenticate("clinic_operator", "clinic_operator_pw")
        response = self.url_open(
            "/web/dataset/call_kw/clinic.wallboard/get_board",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "clinic.wallboard",
                        "method": "get_board",
                        "args": [],
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")

    def test_x1_board_hears_its_clinic_over_the_websocket(self):
        session = self.authenticate("wb_tv", "wb_tv_pw")
        websocket = self.websocket_connect(cookie=f"session_id={session.sid};")
        self.subscribe(
            websocket,
            [f"res.company_{self.company_a.id}", f"res.company_{self.company_b.id}"],
            self.env["bus.bus"]._bus_last_id(),
        )
        self.ingest(self.env, "ws-1", "call.ringing")
        self.env.cr.flush()
        self.trigger_notification_dispatching([(self.company_a, SUBCHANNEL)])
        message = json.loads(websocket.recv())[0]["message"]
        self.assertEqual(message["type"], "clinic_wallboard/panels")
        self.assertEqual(message["payload"]["company_id"], self.company_a.id)
        self.assertEqual(message["payload"]["changed"], ["phones", "today"])
