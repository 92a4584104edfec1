"""C11: the outbox never sends a message twice, whatever breaks, on real transactions.

The dispatcher commits, so these tests commit their fixture through separate
cursors (the test's own transaction cannot see other cursors' work), run
dispatchers on cursors of their own, count what the provider received and
remove everything afterwards.
"""

import secrets
import threading
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..tools import keys
from ..tools.local_gateway import LocalGateway

MESSAGES = 3
LOGGERS = ("odoo.addons.clinic_reminder.models.clinic_reminder_message",)


class Killed(BaseException):
    """The worker dies (time limit, OOM killer): no except clause runs."""


@tagged("post_install", "-at_install")
class TestOutboxFaults(TransactionCase):
    def setUp(self):
        super().setUp()
        self.provider = LocalGateway("tok", "key").start()
        self.addCleanup(self.provider.stop)
        self.ids = self._commit_fixture(MESSAGES)
        self.addCleanup(self._drop_fixture)

    def env_of(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _commit_fixture(self, count):
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            company = env.ref("base.main_company")
            self.quiet = (company.clinic_reminder_quiet_start, company.clinic_reminder_quiet_end)
            # Tests run at any hour: no quiet hours here (C13 has its own tests).
            company.write({"clinic_reminder_quiet_start": 0.0, "clinic_reminder_quiet_end": 0.0})
            secret = secrets.token_hex(16)
            self.gateway_id = (
                env["clinic.reminder.gateway"]
                .create(
                    {
                        "name": "Outbox test",
                        "code": f"outbox_{secrets.token_hex(4)}",
                        "kind": "http_json",
                        "channel": "sms",
                        "url": self.provider.url,
                        "api_token": "tok",
                        "webhook_secret": secret,
                        "company_id": company.id,
                    }
                )
                .id
            )
            self.provider.secret = keys.derive(secret, keys.DELIVERY_REPORTS)
            day = fields.Date.today() + timedelta(days=400 + secrets.randbelow(3000))
            campaign = env["clinic.reminder.campaign"].create(
                {"date": day, "company_id": company.id}
            )
            self.campaign_id = campaign.id
            patients = env["res.partner"].create(
                [
                    {
                        "name": f"Outbox patient {n}",
                        "is_patient": True,
                        "mobile": f"+4915700{n:04d}",
                    }
                    for n in range(count)
                ]
            )
            self.patient_ids = patients.ids
            start = fields.Datetime.now() + timedelta(days=400)
            events = env["calendar.event"].create(
                [
                    {"name": p.name, "patient_id": p.id, "start": start, "stop": start}
                    for p in patients
                ]
            )
            self.event_ids = events.ids
            messages = env["clinic.reminder.message"].create(
                [
                    {
                        "campaign_id": campaign.id,
                        "event_id": event.id,
                        "partner_id": event.patient_id.id,
                        "channel": "sms",
                        "gateway_id": self.gateway_id,
                        "recipient": event.patient_id.mobile,
                        "body": f"Reminder {n}",
                    }
                    for n, event in enumerate(events)
                ]
            )
            cr.commit()  # pylint: disable=invalid-commit
            return messages.ids

    def _drop_fixture(self):
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            env["clinic.reminder.message"].search([("campaign_id", "=", self.campaign_id)]).unlink()
            env["clinic.reminder.campaign"].browse(self.campaign_id).unlink()
            env["calendar.event"].browse(self.event_ids).unlink()
            env["res.partner"].browse(self.patient_ids).unlink()
            env["clinic.reminder.gateway"].browse(self.gateway_id).unlink()
            start, end = self.quiet
            env.ref("base.main_company").write(
                {"clinic_reminder_quiet_start": start, "clinic_reminder_quiet_end": end}
            )
            cr.commit()  # pylint: disable=invalid-commit

    def dispatcher(self, **kwargs):
        """One dispatcher run on a cursor of its own, as the cron runs it."""
        with self.registry.cursor() as cr:
            return self.env_of(cr)["clinic.reminder.message"]._dispatch_outbox(
                commit=True, **kwargs
            )

    def states(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT reference, state FROM clinic_reminder_message WHERE id = ANY(%s)",
                [self.ids],
            )
            return dict(cr.fetchall())

    def assert_at_most_once(self):
        counts = {ref: self.provider.requests.count(ref) for ref in set(self.provider.requests)}
        self.assertTrue(all(n == 1 for n in counts.values()), counts)
        return counts

    # ------------------------------------------------------------------

    def test_c11_exception_after_the_provider_accepted(self):
        Gateway = type(self.env["clinic.reminder.gateway"])
        original = Gateway._parse_http_json
        victim = self.states()  # reference -> state
        victim = sorted(victim)[1]

        def parse(gateway, reply):
            if self.provider.sent.get(victim, {}).get("id") == reply.json.get("id"):
                raise RuntimeError("a bug reading the provider's answer")
            return original(gateway, reply)

        with (
            patch.object(Gateway, "_parse_http_json", parse),
            mute_logger("odoo.addons.clinic_reminder.models.clinic_reminder_gateway"),
        ):
            self.assertEqual(self.dispatcher(), MESSAGES)
        states = self.states()
        self.assertEqual(states.pop(victim), "unknown")
        self.assertEqual(set(states.values()), {"sent"})
        # Later runs leave the unknown one alone: it may be on the patient's phone.
        self.dispatcher()
        self.dispatcher()
        self.assertEqual(len(self.assert_at_most_once()), MESSAGES)
        self.assertEqual(self.states()[victim], "unknown")

    def test_c11_serialization_failure_at_commit_is_retried(self):
        real_commit = type(self.env.cr).commit
        calls = []

        def commit(cr):
            calls.append(1)
            if len(calls) == 2:  # 1: the claim, 2: the outcomes
                raise pg_errors.SerializationFailure("could not serialize access")
            return real_commit(cr)

        with patch.object(type(self.env.cr), "commit", commit), mute_logger(*LOGGERS):
            self.dispatcher()
        self.assertEqual(set(self.states().values()), {"sent"})
        self.assertEqual(len(self.assert_at_most_once()), MESSAGES)

    def test_c11_serialization_failure_for_good_leaves_unknown(self):
        real_commit = type(self.env.cr).commit
        calls = []

        def commit(cr):
            calls.append(1)
            if 2 <= len(calls) <= 4:  # every try at recording the outcomes fails
                raise pg_errors.SerializationFailure("could not serialize access")
            return real_commit(cr)

        with patch.object(type(self.env.cr), "commit", commit), mute_logger(*LOGGERS):
            self.dispatcher()
        self.assertEqual(set(self.states().values()), {"unknown"})
        self.dispatcher()
        self.assertEqual(len(self.assert_at_most_once()), MESSAGES)
        self.assertEqual(set(self.states().values()), {"unknown"})

    def test_c11_two_dispatchers_race_on_one_batch(self):
        self.provider.delay = 0.05  # both are busy with the provider at the same time
        handled, errors = [], []

        def run():
            try:
                handled.append(self.dispatcher(batch_size=1))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(errors)
        self.assertEqual(sum(handled), MESSAGES, "each message claimed by one dispatcher")
        self.assertEqual(len(self.assert_at_most_once()), MESSAGES)
        self.assertEqual(set(self.states().values()), {"sent"})

    def test_c11_dispatcher_killed_between_sending_and_sent(self):
        Message = type(self.env["clinic.reminder.message"])

        def die(messages, outcomes):
            raise Killed()

        with patch.object(Message, "_apply_outcomes", die), self.assertRaises(Killed):
            self.dispatcher()
        self.assertEqual(set(self.states().values()), {"sending"}, "the claim was committed")
        self.assertEqual(len(self.provider.requests), MESSAGES)
        # A dispatcher soon after: the dead one's messages are not sent again.
        self.dispatcher()
        self.assertEqual(len(self.assert_at_most_once()), MESSAGES)
        # Later, nobody holds them: their outcome is unknown, shown as such, not resent.
        with freeze_time(fields.Datetime.now() + timedelta(minutes=5)), mute_logger(*LOGGERS):
            self.dispatcher()
        self.assertEqual(set(self.states().values()), {"unknown"})
        self.assertEqual(len(self.assert_at_most_once()), MESSAGES)
        with self.registry.cursor() as cr:
            unknown = self.env_of(cr)["clinic.reminder.message"].search(
                [("state", "=", "unknown"), ("id", "in", self.ids)]
            )
            self.assertEqual(len(unknown), MESSAGES)
            self.assertIn("dispatcher stopped", unknown[0].error)

    def test_c11_a_slow_dispatcher_is_not_taken_for_dead(self):
        inside, release = threading.Event(), threading.Event()
        Gateway = type(self.env["clinic.reminder.gateway"])
        original = Gateway._send_http_json

        def slow(gateway, messages):
            inside.set()
            release.wait(30)
            return original(gateway, messages)

        with patch.object(Gateway, "_send_http_json", slow):
            worker = threading.Thread(target=self.dispatcher)
            worker.start()
            self.assertTrue(inside.wait(30))
            # Long after the claim, another run sees the rows locked: a live dispatcher.
            with freeze_time(fields.Datetime.now() + timedelta(minutes=30)):
                self.dispatcher()
            self.assertEqual(set(self.states().values()), {"sending"})
            release.set()
            worker.join(60)
        self.assertEqual(set(self.states().values()), {"sent"})
        self.assertEqual(len(self.assert_at_most_once()), MESSAGES)

    def test_c11_resend_by_hand_uses_the_idempotency_key(self):
        Message = type(self.env["clinic.reminder.message"])

        def die(messages, outcomes):
            raise Killed()

        with patch.object(Message, "_apply_outcomes", die), self.assertRaises(Killed):
            self.dispatcher()
        with freeze_time(fields.Datetime.now() + timedelta(minutes=5)), mute_logger(*LOGGERS):
            self.dispatcher()
        with self.registry.cursor() as cr:
            self.env_of(cr)["clinic.reminder.message"].browse(self.ids).action_resend()
        self.dispatcher()
        self.assertEqual(set(self.states().values()), {"sent"})
        # The generic gateway got each reference twice and sent each message once.
        self.assertEqual(len(self.provider.requests), 2 * MESSAGES)
        self.assertEqual(len(self.provider.sent), MESSAGES)
