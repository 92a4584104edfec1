"""Asterisk ARI connector (T2b, R4): mapper, REST and websocket against a local emulation."""

import queue
import threading
import time
import unittest
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.fields import Datetime
from odoo.tests import TransactionCase, tagged

from ..cli.ari_connector import DatabaseSink
from ..tools import ari
from ..tools import events as ev
from .ari_emulator import AriEmulator
from .common import TelephonyCommon


def channel(chan_id, state="Ring", caller="030 1234567", exten="101"):
    return {
        "id": chan_id,
        "name": f"PJSIP/trunk-{chan_id}",
        "state": state,
        "caller": {"name": "", "number": caller},
        "connected": {"name": "", "number": ""},
        "dialplan": {"context": "from-trunk", "exten": exten, "priority": 1},
    }


def stasis_start(chan_id, args=("inbound", "101"), **kw):
    return {
        "type": "StasisStart",
        "application": "clinic",
        "timestamp": "2026-03-02T09:00:00.000+0000",
        "args": list(args),
        "channel": channel(chan_id, **kw),
    }


def state_change(chan_id, state, at="2026-03-02T09:00:05.000+0000"):
    return {"type": "ChannelStateChange", "timestamp": at, "channel": channel(chan_id, state)}


def destroyed(chan_id, at="2026-03-02T09:01:05.000+0000"):
    return {
        "type": "ChannelDestroyed",
        "timestamp": at,
        "cause": 16,
        "cause_txt": "Normal Clearing",
        "channel": channel(chan_id, "Up"),
    }


class TestAriMapper(unittest.TestCase):
    def test_t2b_inbound_call_mapped(self):
        mapper = ari.AriMapper()
        ringing = mapper.map(stasis_start("ch1"))
        answered = mapper.map(state_change("ch1", "Up"))
        ended = mapper.map(
            {
                "type": "ChannelHangupRequest",
                "timestamp": "2026-03-02T09:01:05Z",
                "channel": channel("ch1", "Up"),
            }
        )
        again = mapper.map(destroyed("ch1"))
        types = [e["type"] for e in ringing + answered + ended + again]
        self.assertEqual(types, ["call.ringing", "call.answered", "call.ended", "call.ended"])
        self.assertEqual(ended[0]["event_id"], again[0]["event_id"], "one 'ended' per call")
        parsed = ev.parse_event(ringing[0])
        self.assertEqual((parsed.from_number, parsed.extension), ("030 1234567", "101"))

    def test_t2b_outbound_and_failed_dial(self):
        mapper = ari.AriMapper()
        [start] = mapper.map(stasis_start("out1", args=("outbound", "101", "+49301234567")))
        self.assertEqual((start["direction"], start["to"]), ("outbound", "+49301234567"))
        [failed] = mapper.map(
            {
                "type": "Dial",
                "dialstatus": "CHANUNAVAIL",
                "timestamp": "2026-03-02T09:00:01Z",
                "caller": channel("out1"),
            }
        )
        self.assertEqual(failed["type"], "call.failed")
        self.assertEqual(
            mapper.map({"type": "Dial", "dialstatus": "RINGING", "caller": channel("out1")}), []
        )

    def test_t2b_foreign_channels_ignored(self):
        mapper = ari.AriMapper()
        self.assertEqual(mapper.map(state_change("other", "Up")), [])
        self.assertEqual(mapper.map({"type": "DeviceStateChanged"}), [])


class QueueSink:
    def __init__(self):
        self.items = queue.Queue()

    def events(self, bodies):
        for body in bodies:
            self.items.put(("event", body))

    def reconcile(self, live):
        self.items.put(("reconcile", dict(live)))


@tagged("post_install", "-at_install")
class TestAriConnector(TelephonyCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pbx.write(
            {
                "kind": "asterisk_ari",
                "ari_username": "asterisk",
                "ari_password": "secret",
                "ari_app": "clinic",
            }
        )

    def setUp(self):
        super().setUp()
        self.emulator = AriEmulator().start()
        self.addCleanup(self.emulator.stop)
        self.pbx.ari_url = self.emulator.base_url
        self.rest = ari.AriRest(self.emulator.base_url, "asterisk", "secret")

    def start_connector(self):
        sink = QueueSink()
        connector = ari.AriConnector(self.rest, "clinic", sink, min_backoff=0.05, max_backoff=0.2)
        thread = threading.Thread(target=connector.run, daemon=True)
        thread.start()

        def stop():
            connector.stop()
            self.emulator.drop()
            thread.join(10)

        self.addCleanup(stop)
        return connector, sink

    def apply(self, sink, count):
        """Apply ``count`` items from the connector to the database, in this thread."""
        applied = []
        for _index in range(count):
            kind, data = sink.items.get(timeout=10)
            if kind == "event":
                self.pbx._clinic_ingest(ev.parse_event(data))
            else:
                self.pbx._clinic_reconcile(data, Datetime.now())
            applied.append((kind, data))
        return applied

    def test_r4_events_reconnect_and_reconcile(self):
        connector, sink = self.start_connector()
        [(kind, live)] = self.apply(sink, 1)
        self.assertEqual((kind, live), ("reconcile", {}))
        # Three calls ring; the first one is answered.
        self.emulator.live = {
            "ch1": channel("ch1", "Up"),
            "ch2": channel("ch2"),
            "ch3": channel("ch3"),
        }
        self.emulator.push(stasis_start("ch1"))
        self.emulator.push(state_change("ch1", "Up"))
        self.emulator.push(stasis_start("ch2", caller="0405551234"))
        self.emulator.push(stasis_start("ch3", caller="0899999999"))
        self.apply(sink, 4)
        first, second, third = self.call("ch1"), self.call("ch2"), self.call("ch3")
        self.assertEqual((first.state, first.partner_id), ("talking", self.anna))
        self.assertEqual((second.state, third.state), ("ringing", "ringing"))
        # The websocket drops; meanwhile the second caller hangs up and the third call is
        # answered, and those events are lost.
        del self.emulator.live["ch2"]
        self.emulator.live["ch3"] = channel("ch3", "Up")
        self.emulator.drop()
        [(kind, live)] = self.apply(sink, 1)
        self.assertEqual((kind, live), ("reconcile", {"ch1": True, "ch3": True}))
        self.assertEqual(connector.connections, 2, "reconnected after the drop")
        self.assertEqual((second.state, second.call_type), ("ended", "missed"))
        self.assertEqual(third.state, "talking", "answered meanwhile")
        self.assertEqual(first.state, "talking", "a call still alive is left alone")
        # Events keep flowing on the new connection.
        self.emulator.push(destroyed("ch1"))
        self.apply(sink, 1)
        self.assertEqual((first.state, first.talk_duration), ("ended", 60))

    def test_r4_backoff_grows_while_asterisk_is_down(self):
        self.emulator.stop()
        sink = QueueSink()
        connector = ari.AriConnector(self.rest, "clinic", sink, min_backoff=0.01, max_backoff=0.04)
        waits = []
        with (
            patch.object(connector.stopping, "wait", side_effect=lambda s: waits.append(s)),
            self.assertLogs("odoo.addons.clinic_telephony.tools.ari", "WARNING"),
        ):
            thread = threading.Thread(target=connector.run, daemon=True)
            thread.start()
            deadline = time.monotonic() + 5
            while len(waits) < 4 and time.monotonic() < deadline:
                time.sleep(0.01)
            connector.stop()
            thread.join(5)
        self.assertEqual(waits[:4], [0.01, 0.02, 0.04, 0.04])

    def test_t5_click_to_call_originates_through_ari(self):
        card = self.env["clinic.call"].with_user(self.operator).clinic_dial("030 1234567")
        [params] = self.emulator.originated
        call = self.env["clinic.call"].browse(card["id"])
        self.assertEqual(params["endpoint"], "PJSIP/101")
        self.assertEqual(params["channelId"], call.pbx_call_id)
        self.assertEqual(params["appArgs"], "outbound,101,+49301234567")

    def test_t5_ari_failure_raises_and_keeps_failed_call(self):
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        self.emulator.fail_originate = True
        with (
            self.assertLogs("odoo.addons.clinic_telephony.models.clinic_pbx", "WARNING"),
            # assertRaisesRegex: Odoo's assertRaises would roll back the fresh cursor's work too.
            self.assertRaisesRegex(UserError, "could not place the call"),
        ):
            self.env["clinic.call"].with_user(self.operator).clinic_dial("030 1234567")
        call = self.env["clinic.call"].search([("direction", "=", "outbound")])
        self.assertEqual(call.state, "failed")


@tagged("post_install", "-at_install")
class TestAriDatabaseSink(TelephonyCommon, TransactionCase):
    def test_r4_cli_sink_writes_one_transaction_per_event(self):
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        mapper = ari.AriMapper()
        sink = DatabaseSink(self.registry, "test")
        sink.events(mapper.map(stasis_start("db1")))
        with self.assertLogs("odoo.addons.clinic_telephony.cli.ari_connector", "WARNING"):
            sink.events([{"type": "call.bogus"}])  # skipped, not fatal
        self.assertEqual(self.call("db1").state, "ringing")
        sink.reconcile({})
        self.env.invalidate_all()  # written through another cursor
        self.assertEqual(self.call("db1").call_type, "missed")
