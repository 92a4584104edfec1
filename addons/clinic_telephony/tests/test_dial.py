"""Click-to-call (T5) and its refusals; the command contract towards a webhook PBX (T12)."""

import time
import unittest
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from ..tools import commands
from .common import CommandsMixin, FakePbx, TelephonyCommon, closed_port_url, event_dict

COMMAND_LOGGER = "odoo.addons.clinic_telephony.models.clinic_pbx_command"


class TestCommandContract(unittest.TestCase):
    """The contract itself, against the simulator's listener (ORM-free)."""

    def setUp(self):
        super().setUp()
        self.listener = FakePbx("contract-secret").start()
        self.addCleanup(self.listener.stop)

    def test_t12_command_body_and_signature_verified_by_the_pbx(self):
        body = commands.command_body("cmd-1", "originate", "clinic-1", "101", "+49301234567")
        self.assertEqual(
            set(body), {"command_id", "command", "call_id", "extension", "number", "timestamp"}
        )
        self.assertEqual(commands.post(self.listener.url, "contract-secret", body), 202)
        self.assertEqual(self.listener.received, [body])
        # A hangup carries no number.
        hangup = commands.command_body("cmd-2", "hangup", "clinic-1", "101")
        self.assertNotIn("number", hangup)
        commands.post(self.listener.url, "contract-secret", hangup)
        self.assertEqual(self.listener.received[-1]["command"], "hangup")

    def test_t12_wrong_secret_is_refused_by_the_pbx(self):
        body = commands.command_body("cmd-3", "originate", "clinic-2", "101", "+49301234567")
        with self.assertRaises(commands.CommandError) as caught:
            commands.post(self.listener.url, "not-the-secret", body)
        self.assertEqual((caught.exception.kind, caught.exception.detail), ("http_status", "401"))
        self.assertEqual(self.listener.received, [])

    def test_t12_malformed_commands_refused(self):
        for raw in (b"{", b"[]", b'{"command": "explode"}'):
            with self.assertRaises(commands.MalformedCommand):
                commands.parse_command(raw)

    def test_t12_timeout_is_five_seconds(self):
        self.assertEqual(commands.TIMEOUT, 5)


@tagged("post_install", "-at_install")
class TestDial(CommandsMixin, TelephonyCommon, TransactionCase):
    def dial(self, user, number="030 1234567", **kw):
        return self.env["clinic.call"].with_user(user).dial(number, **kw)

    def test_t5_dial_creates_outgoing_card(self):
        card = self.dial(self.operator)
        self.assertEqual((card["direction"], card["state"]), ("outbound", "ringing"))
        self.assertEqual(card["partner"]["id"], self.anna.id)
        self.assertTrue(card["can_hang_up"])
        call = self.env["clinic.call"].browse(card["id"])
        self.assertEqual(call.user_id, self.operator)
        self.assertEqual(call.phone_id, self.phone1)
        self.assertEqual(call.event_ids.event_type, "call.originate")
        self.assertEqual(
            [c["state"] for c in self.sent_cards(self.operator.partner_id)], ["ringing"]
        )

    def test_t12_originate_reaches_the_pbx_with_the_call_id_of_its_events(self):
        card = self.dial(self.operator)
        call = self.env["clinic.call"].browse(card["id"])
        [command] = self.fake_pbx.received
        self.assertEqual(
            (command["command"], command["call_id"], command["extension"], command["number"]),
            ("originate", call.pbx_call_id, "101", "+49301234567"),
        )
        row = self.env["clinic.pbx.command"].search([("call_id", "=", call.id)])
        self.assertEqual((row.state, row.command_id), ("done", command["command_id"]))
        # The PBX reports the call under that id: one call, talking.
        for kind in ("call.ringing", "call.answered"):
            self.ingest(
                event_dict(
                    f"{call.pbx_call_id}-{kind}", kind, call.pbx_call_id, direction="outbound"
                )
            )
        self.assertEqual(call.state, "talking")
        self.assertEqual(self.env["clinic.call"].search_count([("direction", "=", "outbound")]), 1)

    def test_t5_dial_with_chosen_patient(self):
        card = self.dial(self.operator, "0405551234", partner_id=self.meier_b.id)
        self.assertEqual(card["partner"]["id"], self.meier_b.id)

    def test_t5_refused_when_not_linked(self):
        with self.assertRaisesRegex(UserError, "not linked"):
            self.dial(self.plain_user)

    def test_t5_refused_when_paused(self):
        self.env["res.users"].clinic_telephony_set_paused(True)
        with self.assertRaisesRegex(UserError, "paused"):
            self.dial(self.operator)

    def test_t5_refused_without_phone(self):
        with self.assertRaisesRegex(UserError, "Choose the phone"):
            self.dial(self.operator2)

    def test_t5_refused_while_talking(self):
        self.play("talk-1", ["call.ringing", "call.answered"])
        with self.assertRaisesRegex(UserError, "already on a call"):
            self.dial(self.operator)

    def test_t5_refused_invalid_number(self):
        with self.assertRaisesRegex(UserError, "not a valid phone number"):
            self.dial(self.operator, "hello")
        self.assertFalse(self.env["clinic.call"].search([("direction", "=", "outbound")]))

    def test_t12_pbx_without_command_url_refused_clearly(self):
        self.pbx.command_url = False
        self.env.flush_all()
        with self.assertRaisesRegex(UserError, "no command address"):
            self.dial(self.operator)
        self.assertFalse(self.env["clinic.call"].search([("direction", "=", "outbound")]))

    def assert_failed(self, card, reason):
        self.assertEqual(card["state"], "failed")
        self.assertIn(reason, card["failure"])
        call = self.env["clinic.call"].browse(card["id"])
        self.assertEqual((call.state, call.call_type), ("failed", "outgoing_unanswered"))
        self.assertEqual(call.user_id, self.operator)
        command = self.env["clinic.pbx.command"].search([("call_id", "=", call.id)])
        self.assertEqual((command.state, command.attempts), ("failed", 1))
        pushed = self.sent_cards(self.operator.partner_id)
        self.assertEqual(pushed[-1]["state"], "failed", "the card closes on every screen")
        self.assertIn(reason, pushed[-1]["failure"])
        return call

    def test_t12_pbx_error_fails_the_call_at_once(self):
        self.fake_pbx.status = 500
        with self.assertLogs(COMMAND_LOGGER, "WARNING"):
            card = self.dial(self.operator)
        self.assert_failed(card, "HTTP 500")

    def test_t12_pbx_silence_fails_the_call_after_the_timeout(self):
        self.fake_pbx.delay = 1.5
        began = time.monotonic()
        with (
            patch.object(commands, "TIMEOUT", 0.5),
            self.assertLogs(COMMAND_LOGGER, "WARNING"),
        ):
            card = self.dial(self.operator)
        self.assertLess(time.monotonic() - began, 1.4, "the timeout, not the PBX, ends the wait")
        self.assert_failed(card, "did not answer")

    def test_t12_unreachable_pbx_fails_the_call(self):
        self.pbx.command_url = closed_port_url()
        self.env.flush_all()
        with self.assertLogs(COMMAND_LOGGER, "WARNING"):
            card = self.dial(self.operator)
        self.assert_failed(card, "could not be reached")

    def test_t12_originate_is_never_retried(self):
        self.fake_pbx.status = 503
        with self.assertLogs(COMMAND_LOGGER, "WARNING"):
            card = self.dial(self.operator)
        self.fake_pbx.status = None
        Command = self.env["clinic.pbx.command"]
        command = Command.search([("call_id", "=", card["id"])])
        self.env.cr.execute(
            "UPDATE clinic_pbx_command SET next_try = now() - interval '1 hour' WHERE id = %s",
            [command.id],
        )
        Command._retry_due()
        command.invalidate_recordset()
        self.assertEqual(self.fake_pbx.requests, 1, "the PBX was asked once")
        self.assertEqual(command.state, "failed")

    def test_t12_originate_whose_worker_died_is_settled_not_resent(self):
        card = self.dial(self.operator)
        command = self.env["clinic.pbx.command"].search([("call_id", "=", card["id"])])
        self.env.cr.execute(
            """UPDATE clinic_pbx_command SET state = 'sending',
                      write_date = now() at time zone 'UTC' - interval '1 hour' WHERE id = %s""",
            [command.id],
        )
        self.env["clinic.pbx.command"]._retry_due()
        command.invalidate_recordset()
        self.assertEqual((command.state, self.fake_pbx.requests), ("failed", 1))

    def test_t12_hangup_is_retried_until_the_pbx_accepts_it(self):
        card = self.dial(self.operator)
        call = self.env["clinic.call"].browse(card["id"])
        self.fake_pbx.status = 500
        with self.assertLogs(COMMAND_LOGGER, "WARNING"):
            call.with_user(self.operator).action_hang_up()
        hangup = self.env["clinic.pbx.command"].search(
            [("call_id", "=", call.id), ("command", "=", "hangup")]
        )
        self.assertEqual((hangup.state, hangup.attempts), ("retry", 1))
        self.assertGreater(hangup.next_try, fields.Datetime.now())
        self.fake_pbx.status = None
        self.assertFalse(self.env["clinic.pbx.command"]._retry_due(), "not due yet")
        hangup.next_try = fields.Datetime.now() - timedelta(seconds=1)
        self.env.flush_all()
        self.env["clinic.pbx.command"]._retry_due()
        hangup.invalidate_recordset()
        self.assertEqual((hangup.state, hangup.attempts), ("done", 2))
        self.assertEqual([c["command"] for c in self.fake_pbx.received], ["originate", "hangup"])
        self.assertEqual(self.fake_pbx.received[-1]["command_id"], hangup.command_id)
        self.assertEqual(self.fake_pbx.received[-1]["call_id"], call.pbx_call_id)

    def test_t12_hangup_only_by_the_call_s_operator(self):
        card = self.dial(self.operator)
        call = self.env["clinic.call"].browse(card["id"])
        with self.assertRaises(AccessError):
            call.with_user(self.operator2).action_hang_up()
        self.assertEqual([c["command"] for c in self.fake_pbx.received], ["originate"])

    def test_t5_pbx_events_of_a_click_to_call_join_its_card(self):
        card = self.dial(self.operator)
        for kind in ("call.ringing", "call.answered"):
            body = event_dict(f"pbx-9-{kind}", kind, "pbx-9", direction="outbound")
            self.ingest(body)
        call = self.env["clinic.call"].browse(card["id"])
        self.assertEqual((call.pbx_call_id, call.state), ("pbx-9", "talking"))
        self.assertEqual(self.env["clinic.call"].search_count([("direction", "=", "outbound")]), 1)
        # A further call from the desk phone itself is a call of its own.
        self.ingest(event_dict("pbx-10-r", "call.ringing", "pbx-10", direction="outbound"))
        self.assertEqual(self.env["clinic.call"].search_count([("direction", "=", "outbound")]), 2)
