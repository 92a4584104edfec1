"""Click-to-call (T5) and its refusals, PBX failure handling."""

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..models.clinic_pbx import ClinicPbx, PbxError
from .common import TelephonyCommon, event_dict


@tagged("post_install", "-at_install")
class TestDial(TelephonyCommon, TransactionCase):
    def dial(self, user, number="030 1234567", **kw):
        return self.env["clinic.call"].with_user(user).clinic_dial(number, **kw)

    def test_t5_dial_creates_outgoing_card(self):
        self.clear_bus()
        card = self.dial(self.operator)
        self.assertEqual((card["direction"], card["state"]), ("outbound", "ringing"))
        self.assertEqual(card["partner"]["id"], self.anna.id)
        call = self.env["clinic.call"].browse(card["id"])
        self.assertEqual(call.user_id, self.operator)
        self.assertEqual(call.phone_id, self.phone1)
        self.assertEqual(call.event_ids.event_type, "call.originate")
        self.assertEqual(
            len(self.bus_payloads("clinic_telephony/call", self.operator.partner_id)), 1
        )

    def test_t5_dial_with_chosen_patient(self):
        card = self.dial(self.operator, "0405551234", partner_id=self.meier_b.id)
        self.assertEqual(card["partner"]["id"], self.meier_b.id)

    def test_t5_refused_when_not_linked(self):
        with self.assertRaisesRegex(UserError, "not linked"):
            self.dial(self.plain_user)

    def test_t5_refused_when_paused(self):
        self.env["res.users"]._clinic_telephony_set_paused(True)
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

    def test_t5_pbx_failure_marks_call_failed(self):
        # The failed call is written from a fresh cursor; in test mode it joins this transaction.
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        with (
            patch.object(ClinicPbx, "_clinic_originate", side_effect=PbxError("timeout")),
            self.assertLogs("odoo.addons.clinic_telephony.models.clinic_pbx", "WARNING"),
            # assertRaisesRegex: Odoo's assertRaises would roll back the fresh cursor's work too.
            self.assertRaisesRegex(UserError, "could not place the call"),
        ):
            self.dial(self.operator)
        call = self.env["clinic.call"].search([("direction", "=", "outbound")])
        self.assertEqual((call.state, call.call_type), ("failed", "outgoing_unanswered"))
        self.assertEqual(call.user_id, self.operator)

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
