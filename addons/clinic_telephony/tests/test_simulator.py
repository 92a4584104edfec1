"""Simulator scenarios (T2c): pure build, then played into the model."""

import unittest

from odoo.tests import TransactionCase, tagged

from ..tools import events as ev
from ..tools import simulator
from .common import T0, TelephonyCommon

NUMBERS = simulator.Numbers(
    known="+49301234567",
    shared="+49405551234",
    unknown="+49897777777",
    aggregator_source="prodoctors",
)


class TestScenarioBuild(unittest.TestCase):
    def test_t2c_busy_morning_is_valid_contract(self):
        steps = simulator.build_scenario("busy_morning", NUMBERS, ["101", "102"], start=T0)
        self.assertEqual([s.at for s in steps], sorted(s.at for s in steps))
        for step in steps:
            ev.parse_event(step.body)  # every body passes the webhook's checks
        self.assertEqual(len({s.body["event_id"] for s in steps}), len(steps))

    def test_t2c_unknown_scenario(self):
        with self.assertRaises(ValueError):
            simulator.build_scenario("nope", NUMBERS, ["101"])


@tagged("post_install", "-at_install")
class TestScenarioPlayed(TelephonyCommon, TransactionCase):
    def test_t2c_busy_morning_outcome(self):
        steps = simulator.build_scenario("busy_morning", NUMBERS, ["101", "102"], start=T0)
        for step in steps:
            self.pbx._ingest(ev.parse_event(step.body))
        calls = self.env["clinic.call"].search([("pbx_call_id", "like", "sim-")], order="id")
        self.assertEqual(
            calls.mapped("call_type"),
            [
                "incoming",
                "incoming",
                "missed",
                "incoming",
                "incoming",
                "missed",
                "outgoing_unanswered",
            ],
        )
        self.assertEqual(calls[0].recording_state, "pending")
        self.assertEqual(calls[0].partner_id, self.anna)
        self.assertTrue(calls[3]._card_payload()["unknown_patient"])
        self.assertTrue(calls[4].hidden_number)

    def test_t2c_numbers_from_database(self):
        numbers = self.pbx._simulator_numbers()
        self.assertEqual(numbers.shared, "+49405551234")
        self.assertEqual(numbers.aggregator_source, "prodoctors")
        self.assertEqual(len(self.env["res.partner"]._clinic_search_by_number(numbers.known)), 1)
        self.assertFalse(self.env["res.partner"]._clinic_search_by_number(numbers.unknown))
