"""Asterisk ARI (T2b, T12, T13, R4): the Stasis application against a local Asterisk emulator."""

import base64
import queue
import threading
import time
import unittest
from unittest.mock import patch

import requests

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


def destroyed(chan_id, cause=16, at="2026-03-02T09:01:05.000+0000"):
    return {
        "type": "ChannelDestroyed",
        "timestamp": at,
        "cause": cause,
        "channel": channel(chan_id),
    }


def names(actions):
    return [action.name for action in actions]


class TestCallControl(unittest.TestCase):
    """The Stasis application's decisions, without Asterisk (ORM-free)."""

    def control(self, **policy):
        policy = ari.Policy(**{"ring_extensions": ("101", "102"), **policy})
        return ari.CallControl("clinic", lambda: policy, recording_base="http://pbx/ari")

    def test_t13_inbound_rings_every_bound_phone_then_bridges_the_one_that_answers(self):
        control = self.control()
        actions, events = control.handle(stasis_start("in1", args=()))
        self.assertEqual(names(actions), ["ring", "originate", "originate"])
        self.assertEqual([a.kwargs["endpoint"] for a in actions[1:]], ["PJSIP/101", "PJSIP/102"])
        self.assertEqual([e["extension"] for e in events], ["101", "102"])
        self.assertEqual({e["type"] for e in events}, {ev.RINGING})
        actions, events = control.handle(
            {"type": "StasisStart", "args": ["desk", "in1", "102"], "channel": {"id": "in1-102"}}
        )
        self.assertEqual(names(actions), ["answer", "create_bridge", "add_channels", "hangup"])
        self.assertEqual(actions[2].kwargs["channels"], ["in1", "in1-102"])
        self.assertEqual(
            actions[3].kwargs, {"channel_id": "in1-101", "reason": "answered_elsewhere"}
        )
        self.assertEqual([(e["type"], e["extension"]) for e in events], [(ev.ANSWERED, "102")])
        # The desk phone hangs up: the caller is hung up too, the bridge goes.
        actions, events = control.handle(destroyed("in1-102"))
        self.assertEqual(names(actions), ["hangup", "destroy_bridge"])
        self.assertEqual(actions[0].kwargs["channel_id"], "in1")
        self.assertEqual([e["type"] for e in events], [ev.ENDED])

    def test_t13_stasis_args_name_the_extension(self):
        actions, events = self.control().handle(stasis_start("in2", args=("inbound", "102")))
        self.assertEqual([a.kwargs.get("endpoint") for a in actions], [None, "PJSIP/102"])

    def test_t13_nobody_answers_the_dialplan_takes_over(self):
        control = self.control(ring_extensions=("101",))
        control.handle(stasis_start("in3", args=()))
        actions, events = control.handle(destroyed("in3-101", cause=19))
        self.assertEqual(names(actions), ["continue_in_dialplan"])
        self.assertEqual([e["type"] for e in events], [ev.ENDED])

    def test_t13_no_bound_phone_hands_the_call_to_the_dialplan(self):
        actions, events = self.control(ring_extensions=()).handle(stasis_start("in4", args=()))
        self.assertEqual(names(actions), ["subscribe", "continue_in_dialplan"])

    def test_t13_patient_unreachable_fails_the_click_to_call(self):
        control = self.control()
        actions, _events = control.handle(
            stasis_start("clinic-1", args=("outbound", "101", "+49301234567"))
        )
        self.assertEqual(names(actions), ["create_bridge", "add_channels", "originate"])
        self.assertEqual(actions[2].kwargs["endpoint"], "PJSIP/+49301234567@trunk")
        actions, events = control.handle(destroyed("clinic-1-patient", cause=20))
        self.assertEqual(names(actions), ["hangup", "destroy_bridge"])
        self.assertEqual([e["type"] for e in events], [ev.FAILED])

    def test_t13_late_events_of_a_finished_call_create_nothing(self):
        control = self.control()
        control.handle(stasis_start("clinic-2", args=("outbound", "101", "+49301234567")))
        control.handle(destroyed("clinic-2-patient", cause=17))
        control.handle(destroyed("clinic-2"))
        self.assertEqual(control.handle(destroyed("clinic-2")), ([], []))
        self.assertEqual(control.calls, {})

    def test_t2b_foreign_events_ignored(self):
        control = self.control()
        self.assertEqual(control.handle({"type": "DeviceStateChanged"}), ([], []))
        self.assertEqual(control.handle(destroyed("not-ours")), ([], []))


class QueueSink:
    """The connector's sink in a test: policy set by the test, the rest queued."""

    def __init__(self, policy):
        self.current = policy
        self.items = queue.Queue()

    def policy(self):
        return self.current

    def events(self, bodies):
        for body in bodies:
            self.items.put(("event", body))

    def reconcile(self, live):
        self.items.put(("reconcile", dict(live)))


class AriCase(TelephonyCommon, TransactionCase):
    """An ARI PBX whose two desk phones are held by two operators, and an emulator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone2.user_id = cls.operator2
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
        # Whatever a test did, the connector only made documented requests.
        self.addCleanup(lambda: self.assertEqual(self.emulator.undocumented, []))
        self.pbx.ari_url = self.emulator.base_url
        self.env.flush_all()
        self.rest = ari.AriRest(self.emulator.base_url, "asterisk", "secret")
        if self.registry.test_cr is None:
            # click-to-call commits its intent and outcome through fresh cursors
            self.registry.enter_test_mode(self.cr)
            self.addCleanup(self.registry.leave_test_mode)

    def start_connector(self):
        sink = QueueSink(self.pbx._ari_policy())
        connector = ari.AriConnector(self.rest, "clinic", sink, min_backoff=0.05, max_backoff=0.2)
        thread = threading.Thread(target=connector.run, daemon=True)
        thread.start()

        def stop():
            connector.stop()
            self.emulator.drop()
            thread.join(10)

        self.addCleanup(stop)
        self.assertEqual(self.apply(sink, 1), [("reconcile", {})])
        return connector, sink

    def apply(self, sink, count):
        """Apply ``count`` items from the connector to the database, in this thread."""
        applied = []
        for _index in range(count):
            kind, data = sink.items.get(timeout=10)
            if kind == "event":
                self.pbx._ingest(ev.parse_event(data))
            else:
                self.pbx._reconcile(data, Datetime.now())
            applied.append((kind, data))
        return applied

    def wait(self, predicate):
        self.emulator.wait_for(predicate)

    def leg(self, endpoint):
        """The id of the live channel dialled at ``endpoint``."""
        found = []
        self.wait(
            lambda e: found.extend(
                c["id"] for c in e.channels.values() if c["name"].startswith(endpoint + "-")
            )
            or found
        )
        return found[0]


@tagged("post_install", "-at_install")
class TestAriEmulator(AriCase):
    def test_t13_a_channel_in_stasis_does_nothing_until_the_application_acts(self):
        chan_id = self.emulator.incoming("+49301234567", args=("inbound",))
        time.sleep(0.2)
        self.assertEqual(self.emulator.channels[chan_id]["state"], "Ring")
        self.assertEqual(len(self.emulator.channels), 1, "no desk phone rings by itself")

    def test_t13_emulator_refuses_what_the_documented_api_refuses(self):
        base = self.emulator.base_url
        auth = ("asterisk", "secret")
        chan_id = self.emulator.incoming("+49301234567", args=("inbound",))
        refusals = [
            ("GET", "/channelz", {}, 404),  # no such resource
            ("PUT", "/channels", {}, 405),  # documented path, undocumented method
            ("POST", "/channels", {"app": "clinic"}, 400),  # endpoint is required
            ("POST", "/channels", {"endpoint": "PJSIP"}, 400),  # tech/resource
            ("POST", "/channels", {"endpoint": "PJSIP/101"}, 400),  # app or extension
            ("POST", "/channels/nope/answer", {}, 404),
            ("POST", "/bridges/nope/addChannel", {}, 400),  # channel is required
            ("POST", "/bridges", {"bridgeId": "b1"}, 200),
            ("POST", "/bridges", {"bridgeId": "b1"}, 409),  # same id twice
            ("POST", "/bridges/b1/addChannel", {"channel": "nope"}, 400),
            ("POST", "/channels/hold-me/hold", {}, 501),  # documented, not modelled
            ("GET", "/recordings/stored/nope/file", {}, 404),
        ]
        for method, path, params, status in refusals:
            with self.subTest(method=method, path=path):
                response = requests.request(
                    method, base + path, params=params, auth=auth, timeout=5
                )
                self.assertEqual(response.status_code, status, response.text)
                if status >= 400:
                    self.assertIn("message", response.json())
        # A channel handed back to the dialplan is not the application's any more.
        self.rest.continue_in_dialplan(chan_id)
        with self.assertRaises(ari.AriError) as caught:
            self.rest.answer(chan_id)
        self.assertEqual(caught.exception.detail, "409 Channel not in Stasis application")
        self.assertEqual(
            requests.get(base + "/channels", timeout=5).status_code, 401, "credentials needed"
        )
        self.emulator.undocumented.clear()

    def test_t13_parameters_asterisk_does_not_know_are_noticed(self):
        requests.post(
            self.emulator.base_url + "/channels",
            params={"endpoint": "PJSIP/101", "app": "clinic", "channelID": "typo"},
            auth=("asterisk", "secret"),
            timeout=5,
        )
        self.assertEqual(self.emulator.undocumented, [("originate", "channelID")])
        self.emulator.undocumented.clear()


@tagged("post_install", "-at_install")
class TestAriControl(AriCase):
    def test_t13_inbound_call_rings_the_desk_phones_and_is_bridged_with_the_one_answering(self):
        _connector, sink = self.start_connector()
        caller = self.emulator.incoming("030 1234567", args=("inbound",))
        desk1, desk2 = self.leg("PJSIP/101"), self.leg("PJSIP/102")
        self.apply(sink, 2)  # ringing at 101 and 102
        call = self.call(caller)
        self.assertEqual((call.state, call.partner_id), ("ringing", self.anna))
        self.assertEqual(call.phone_id | call.ring_phone_ids, self.phone1 | self.phone2)
        self.assertEqual(self.emulator.channels[caller]["state"], "Ring", "not answered yet")
        # Both operators got the card.
        for user in (self.operator, self.operator2):
            self.assertTrue(self.bus_payloads("clinic_telephony/call", user.partner_id))
        self.clear_bus()
        # Desk 102 answers first: bridged with the caller; desk 101 stops ringing.
        self.emulator.pick_up(desk2)
        self.wait(lambda e: e.bridge_of(caller) and desk1 not in e.channels)
        self.assertEqual(
            sorted(self.emulator.bridge_of(caller)["channels"]), sorted([caller, desk2])
        )
        self.assertEqual(self.emulator.channels[caller]["state"], "Up")
        self.apply(sink, 1)
        self.assertEqual(
            (call.state, call.phone_id, call.user_id), ("talking", self.phone2, self.operator2)
        )
        # Operator 1's card goes: the call was answered elsewhere.
        [gone] = self.bus_payloads("clinic_telephony/call", self.operator.partner_id)
        self.assertEqual((gone["state"], gone["user_id"]), ("talking", self.operator2.id))
        # The caller hangs up: the desk phone is hung up and the bridge destroyed.
        self.emulator.hang_up(caller)
        self.wait(lambda e: desk2 not in e.channels and not e.bridges)
        self.apply(sink, 1)
        self.assertEqual((call.state, call.call_type), ("ended", "incoming"))

    def test_t13_desk_phone_hanging_up_ends_the_caller_too(self):
        _connector, sink = self.start_connector()
        caller = self.emulator.incoming("030 1234567", args=("inbound", "101"))
        desk = self.leg("PJSIP/101")
        self.assertNotIn("PJSIP/102", str(self.emulator.channels), "the named extension only")
        self.emulator.pick_up(desk)
        self.apply(sink, 2)
        self.emulator.hang_up(desk)
        self.wait(lambda e: caller not in e.channels and not e.bridges)
        self.apply(sink, 1)
        self.assertEqual(self.call(caller).state, "ended")

    def test_t13_click_to_call_bridges_the_desk_phone_and_the_patient(self):
        self.pbx.ari_outbound_endpoint = "PJSIP/{digits}@trunk"
        self.env.flush_all()
        _connector, sink = self.start_connector()
        card = self.env["clinic.call"].with_user(self.operator).dial("030 1234567")
        call = self.env["clinic.call"].browse(card["id"])
        desk = call.pbx_call_id
        [originate] = [p for m, n, p in self.emulator.requests if n == "originate"]
        self.assertEqual(
            originate,
            {
                "endpoint": "PJSIP/101",
                "app": "clinic",
                "appArgs": "outbound,101,+49301234567",
                "channelId": desk,
                "callerId": "+49301234567",
            },
        )
        self.assertEqual(self.emulator.channels[desk]["state"], "Ringing")
        # The operator picks up the desk phone: only now is the patient dialled.
        self.emulator.pick_up(desk)
        patient = self.leg("PJSIP/49301234567@trunk")
        self.assertEqual(self.emulator.bridge_of(desk)["channels"], [desk])
        self.assertEqual(call.state, "ringing")
        self.emulator.pick_up(patient)
        self.wait(lambda e: len((e.bridge_of(desk) or {}).get("channels", [])) == 2)
        self.apply(sink, 1)
        self.assertEqual(call.state, "talking")
        # The patient hangs up: the desk phone is hung up too.
        self.emulator.hang_up(patient)
        self.wait(lambda e: desk not in e.channels and not e.bridges)
        self.apply(sink, 1)
        self.assertEqual((call.state, call.call_type), ("ended", "outgoing"))

    def test_t15_asterisk_recording_fetched_into_odoo(self):
        """Control mode with "Record calls": the bridge is recorded and the stored
        recording fetched with ARI's getStoredFile and the ARI credentials."""
        self.pbx.ari_record = True
        self.env.flush_all()
        _connector, sink = self.start_connector()
        caller = self.emulator.incoming("030 1234567", args=("inbound", "101"))
        desk = self.leg("PJSIP/101")
        self.emulator.pick_up(desk)
        self.wait(lambda e: e.live_recordings)
        self.emulator.hang_up(caller)
        self.apply(sink, 4)  # ringing, answered, ended, recording
        call = self.call(caller)
        self.assertEqual(call.recording_state, "pending")
        self.assertTrue(call.sudo().recording_url.startswith(self.emulator.base_url))
        self.env["clinic.call"]._fetch_recordings()
        call.invalidate_recordset()
        self.assertEqual((call.recording_state, call.has_recording), ("stored", True))
        [name] = self.emulator.stored
        self.assertEqual(
            base64.b64decode(call.sudo().recording_file), self.emulator.stored[name][0]
        )
        self.assertIn("getStoredFile", self.emulator.operations())

    def test_t13_patient_not_answering_ends_the_click_to_call(self):
        _connector, sink = self.start_connector()
        card = self.env["clinic.call"].with_user(self.operator).dial("030 1234567")
        call = self.env["clinic.call"].browse(card["id"])
        self.emulator.pick_up(call.pbx_call_id)
        patient = self.leg("PJSIP/+49301234567@trunk")
        self.emulator.hang_up(patient, cause=19)  # no answer
        self.wait(lambda e: call.pbx_call_id not in e.channels)
        self.apply(sink, 1)
        self.assertEqual((call.state, call.call_type), ("ended", "outgoing_unanswered"))

    def test_t12_unreachable_asterisk_fails_the_click_to_call(self):
        self.emulator.stop()
        with self.assertLogs("odoo.addons.clinic_telephony.models.clinic_pbx_command", "WARNING"):
            card = self.env["clinic.call"].with_user(self.operator).dial("030 1234567")
        self.assertEqual(card["state"], "failed")
        self.assertIn("could not be reached", card["failure"])

    def test_t13_observe_mode_hands_the_call_to_the_dialplan_and_watches(self):
        self.pbx.ari_mode = "observe"
        self.env.flush_all()
        _connector, sink = self.start_connector()
        caller = self.emulator.incoming("030 1234567", args=("inbound",))
        self.apply(sink, 1)
        self.assertEqual(self.emulator.operations()[-2:], ["subscribe", "continueInDialplan"])
        self.assertFalse(self.emulator.channels[caller]["_stasis"], "back in the dialplan")
        self.assertEqual(len(self.emulator.channels), 1, "Odoo rang nobody")
        # The dialplan rings desk 102, which answers; then the caller hangs up.
        self.emulator.dialplan_dial(caller, "102")
        self.apply(sink, 1)
        call = self.call(caller)
        self.assertEqual((call.state, call.phone_id), ("talking", self.phone2))
        self.emulator.hang_up(caller)
        self.apply(sink, 1)
        self.assertEqual(call.state, "ended")

    def test_r4_websocket_drop_mid_call_then_reconcile(self):
        connector, sink = self.start_connector()
        talking = self.emulator.incoming("030 1234567", args=("inbound", "101"))
        desk = self.leg("PJSIP/101")
        self.emulator.pick_up(desk)
        ringing = self.emulator.incoming("040 5551234", args=("inbound", "102"))
        self.leg("PJSIP/102")
        self.apply(sink, 3)
        self.assertEqual(
            (self.call(talking).state, self.call(ringing).state), ("talking", "ringing")
        )
        # The websocket drops; meanwhile the talking caller hangs up, the ringing one too,
        # and a new call arrives: all these events are lost.
        self.emulator.drop()
        self.wait(lambda e: not e.connected)
        self.emulator.hang_up(talking)
        self.emulator.hang_up(ringing)
        arrived = self.emulator.incoming("0899999999", args=("inbound", "101"))
        # After reconnecting the connector catches up: the abandoned desk phones are hung
        # up, the bridge goes, the new caller's desk phone rings.
        self.wait(lambda e: e.connections == 2)
        self.wait(lambda e: desk not in e.channels and not e.bridges)
        self.leg("PJSIP/101")
        items = self.apply(sink, 4)  # ended x2, ringing of the new call, reconcile
        self.assertEqual(items[-1][0], "reconcile")
        self.assertEqual(connector.connections, 2)
        self.assertEqual(self.call(talking).state, "ended")
        self.assertEqual(self.call(ringing).call_type, "missed")
        self.assertEqual(self.call(arrived).state, "ringing")

    def test_r4_backoff_grows_while_asterisk_is_down(self):
        self.emulator.stop()
        sink = QueueSink(ari.Policy())
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


@tagged("post_install", "-at_install")
class TestAriDatabaseSink(TelephonyCommon, TransactionCase):
    def test_r4_cli_sink_writes_one_transaction_per_event(self):
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        control = ari.CallControl("clinic", lambda: ari.Policy(mode=ari.OBSERVE))
        sink = DatabaseSink(self.registry, "test")
        sink.events(control.handle(stasis_start("db1"))[1])
        with self.assertLogs("odoo.addons.clinic_telephony.cli.ari_connector", "WARNING"):
            sink.events([{"type": "call.bogus"}])  # skipped, not fatal
        self.assertEqual(self.call("db1").state, "ringing")
        sink.reconcile({})
        self.env.invalidate_all()  # written through another cursor
        self.assertEqual(self.call("db1").call_type, "missed")

    def test_t13_policy_from_the_pbx_settings(self):
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        self.pbx.write({"kind": "asterisk_ari", "ari_ring": "bound", "ari_record": True})
        self.env.flush_all()
        policy = DatabaseSink(self.registry, "test").policy()
        self.assertEqual(
            (policy.mode, policy.ring_extensions, policy.record), ("control", ("101",), True)
        )
        self.pbx.ari_ring = "all"
        self.assertEqual(self.pbx._ari_policy().ring_extensions, ("101", "102"))
