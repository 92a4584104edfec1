"""Two workers receiving events of one call at once (T2, R1), with real transactions.

Unlike the other tests this one commits: each thread works like a webhook
request in its own READ COMMITTED transaction. Its rows are removed afterwards.
"""

import threading
import uuid
from datetime import timedelta

from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

from ..ingestion import ingestion_env
from ..tools import events as ev
from .common import T0, event_dict


@tagged("post_install", "-at_install")
class TestConcurrentIngestion(BaseCase):
    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self.code = f"conc-{uuid.uuid4().hex[:8]}"
        with ingestion_env(self.registry) as env:
            self.pbx_id = env["clinic.pbx"].create({"name": "Concurrency", "code": self.code}).id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with ingestion_env(self.registry) as env:
            env.cr.execute("DELETE FROM clinic_call WHERE pbx_id = %s", [self.pbx_id])
            env.cr.execute("DELETE FROM clinic_pbx WHERE id = %s", [self.pbx_id])

    def _race(self, bodies):
        barrier = threading.Barrier(len(bodies))
        answers, errors = [], []

        def worker(body):
            try:
                barrier.wait(10)
                with ingestion_env(self.registry) as env:
                    pbx = env["clinic.pbx"].browse(self.pbx_id)
                    answers.append(pbx._ingest(ev.parse_event(body)))
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(body,)) for body in bodies]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(errors, [])
        return answers

    def test_r1_simultaneous_events_make_one_call(self):
        call_id = "race-1"
        bodies = [
            event_dict("r-ring", "call.ringing", call_id, T0),
            event_dict("r-answer", "call.answered", call_id, T0 + timedelta(seconds=5)),
            event_dict("r-end", "call.ended", call_id, T0 + timedelta(seconds=35)),
        ]
        answers = self._race(bodies * 2)  # every event twice, all at the same moment
        self.assertEqual(sorted(answers), ["duplicate"] * 3 + ["ok"] * 3)
        with ingestion_env(self.registry) as env:
            calls = env["clinic.call"].search([("pbx_id", "=", self.pbx_id)])
            self.assertEqual(len(calls), 1)
            self.assertEqual(len(calls.event_ids), 3)
            self.assertEqual(
                (calls.state, calls.call_type, calls.talk_duration), ("ended", "incoming", 30)
            )

    def test_t5_simultaneous_events_adopt_a_click_to_call_once(self):
        number = "+49 30 1234567"
        with ingestion_env(self.registry) as env:
            env["clinic.telephony.phone"].create(
                {"name": "Desk", "extension": "101", "pbx_id": self.pbx_id}
            )
            pending = ev.CallEvent(
                event_id="originate-1",
                type=ev.ORIGINATE,
                call_id="clinic-race-1",
                direction="outbound",
                from_number="101",
                to_number=number,
                extension="101",
                timestamp=T0,
            )
            env["clinic.pbx"].browse(self.pbx_id)._ingest(pending)
        out = {"direction": "outbound", "from": "101", "to": number}
        bodies = [
            event_dict("p-ring", "call.ringing", "pbx-race-1", T0, **out),
            event_dict("p-answer", "call.answered", "pbx-race-1", T0 + timedelta(seconds=3), **out),
        ]
        answers = self._race(bodies * 2)
        self.assertEqual(sorted(answers), ["duplicate"] * 2 + ["ok"] * 2)
        with ingestion_env(self.registry) as env:
            calls = env["clinic.call"].search([("pbx_id", "=", self.pbx_id)])
            self.assertEqual(calls.mapped("pbx_call_id"), ["pbx-race-1"])
            self.assertEqual((calls.state, len(calls.event_ids)), ("talking", 3))
