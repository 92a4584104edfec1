"""C14: Twilio and SMPP gateways against local emulators of their documented protocols."""

import logging
from datetime import timedelta

from freezegun import freeze_time
from smpplib import gsm

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from ..tools import twilio_client
from ..tools.smsc_emulator import SmscEmulator
from ..tools.twilio_emulator import TwilioEmulator
from .common import ClinicReminderCommon

CLINIC_NUMBER = "+4930123456"


class TwilioCommon(ClinicReminderCommon):
    """The SMS gateway is Twilio (the emulator); nobody has a messenger chat."""

    TWILIO_OUTCOMES = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.twilio = TwilioEmulator(outcomes=cls.TWILIO_OUTCOMES).start()
        cls.addClassCleanup(cls.twilio.stop)
        cls.gw_sms.write(
            {
                "kind": "twilio",
                "url": cls.twilio.url,
                "twilio_account_sid": cls.twilio.account_sid,
                "api_token": cls.twilio.auth_token,
                "sender": CLINIC_NUMBER,
            }
        )
        cls.company.clinic_reminder_messenger_gateway_id = False

    def setUp(self):
        super().setUp()
        self.twilio.reset()


@tagged("post_install", "-at_install")
class TestTwilio(TwilioCommon, HttpCase):
    TWILIO_OUTCOMES = {"+79162345678": "undelivered"}

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        self.anna_visit = self.make_visit(self.anna, self.tomorrow, 9)
        self.boris_visit = self.make_visit(self.boris, self.tomorrow, 10)
        self.campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        self.campaign.action_send()
        self.dispatch()
        self.by_patient = {m.partner_id: m for m in self.campaign.message_ids}

    def test_c14_sent_through_the_messages_api(self):
        self.assertEqual(len(self.twilio.messages), 2)
        sent = {m["to"]: m for m in self.twilio.messages}
        self.assertEqual(sent["+4915123456789"]["from"], CLINIC_NUMBER)
        self.assertIn("Anna Schmidt", sent["+4915123456789"]["body"])
        anna = self.by_patient[self.anna]
        self.assertEqual(anna.state, "sent")
        self.assertEqual(anna.provider_message_id, sent["+4915123456789"]["sid"])

    def test_c14_requests_not_logged_one_by_one(self):
        # A day's campaign must not write ten INFO lines per SMS into a server logging at INFO
        # (Odoo's default), whatever the twilio package's own logger does.
        records = []
        handler = logging.Handler(logging.DEBUG)
        handler.emit = records.append
        root = logging.getLogger()
        level = root.level
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        try:
            (result,) = twilio_client.send_all(
                self.twilio.account_sid,
                self.twilio.auth_token,
                self.twilio.url,
                [{"to": "+4915123456789", "body": "Hi", "from_": CLINIC_NUMBER}],
            )
        finally:
            root.setLevel(level)
            root.removeHandler(handler)
        self.assertEqual((result.kind, len(self.twilio.messages)), ("accepted", 3), result.error)
        self.assertFalse([r.getMessage() for r in records if r.levelno < logging.WARNING])

    def test_c14_signed_status_callbacks(self):
        codes = self.twilio.post_callbacks(session=self.opener)
        self.assertEqual(set(codes), {200})
        self.assertEqual(self.by_patient[self.anna].state, "delivered")
        boris = self.by_patient[self.boris]
        self.assertEqual(boris.state, "failed")
        self.assertIn("30003", boris.error)

    @mute_logger("odoo.addons.clinic_reminder.controllers.main")
    def test_c14_bad_signature_refused_and_changes_nothing(self):
        url, params = self.twilio.pending[0]
        params = dict(params, MessageStatus="failed")
        for auth_token in ("wrong-token", None):
            body, headers = self.twilio.signed(url, params, auth_token=auth_token or "x")
            if auth_token is None:
                del headers["X-Twilio-Signature"]
            response = self.url_open(url, data=body, headers=headers)
            self.assertEqual(response.status_code, 403)
        # Signed for another URL (another gateway's, or a tampered query string).
        body, headers = self.twilio.signed(url + "x", params)
        self.assertEqual(self.url_open(url, data=body, headers=headers).status_code, 403)
        # A genuine signature over other parameters.
        body, headers = self.twilio.signed(url, params)
        tampered = body.replace("MessageStatus=failed", "MessageStatus=delivered")
        self.assertEqual(self.url_open(url, data=tampered, headers=headers).status_code, 403)
        self.env.invalidate_all()
        self.assertEqual(set(self.campaign.message_ids.mapped("state")), {"sent"})
        self.assertFalse(self.env["clinic.reminder.reply"].search([]))

    def test_c14_twilio_refusals(self):
        self.assertEqual(
            self.twilio.handle("/2010-04-01/Accounts/ACx/Messages.json", "", "")[0], 404
        )
        status, answer = self.twilio.handle(
            f"/2010-04-01/Accounts/{self.twilio.account_sid}/Messages.json",
            "Basic bad",
            "To=%2B491&Body=x&From=%2B49",
        )
        self.assertEqual((status, answer["code"]), (401, 20003))
        # An invalid number is refused by Twilio: the message fails, nothing is unknown.
        patient = self.make_patient("Wrong Number", "+4915100000099")
        message = self.campaign.message_ids[:1].copy(
            {
                "event_id": self.make_visit(patient, self.tomorrow, 12).id,
                "recipient": "12345",
                "state": "queued",
            }
        )
        self.dispatch()
        self.assertEqual(message.state, "failed")
        self.assertIn("21211", message.error)

    def test_c14_unreachable_twilio_is_tried_again_later(self):
        patient = self.make_patient("Later", "+4915100000098")
        message = self.campaign.message_ids[:1].copy(
            {"event_id": self.make_visit(patient, self.tomorrow, 13).id, "state": "queued"}
        )
        self.gw_sms.url = "http://127.0.0.1:9"  # nothing listens
        self.dispatch()
        self.assertEqual((message.state, message.attempts), ("queued", 1))
        self.assertGreater(message.scheduled_date, fields.Datetime.now())
        self.gw_sms.url = self.twilio.url
        with freeze_time(fields.Datetime.now() + timedelta(minutes=2)):
            self.dispatch()
        self.assertEqual(message.state, "sent")
        self.assertEqual(self.twilio.count_to(message.recipient), 2, "the copy and the original")


class SmppCommon(ClinicReminderCommon):
    """The SMS gateway is an SMPP SMSC (the emulator); nobody has a messenger chat."""

    SMSC_OUTCOMES = {}
    SENDER = "Clinic"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smsc = SmscEmulator(outcomes=cls.SMSC_OUTCOMES).start()
        cls.addClassCleanup(cls.smsc.stop)
        cls.gw_sms.write(
            {
                "kind": "smpp",
                "smpp_host": "127.0.0.1",
                "smpp_port": cls.smsc.port,
                "smpp_system_id": cls.smsc.system_id,
                "api_token": cls.smsc.password,
                "sender": cls.SENDER,
            }
        )
        cls.company.clinic_reminder_messenger_gateway_id = False

    def setUp(self):
        super().setUp()
        self.smsc.reset()


@tagged("post_install", "-at_install")
class TestSmpp(SmppCommon, TransactionCase):
    SMSC_OUTCOMES = {"79162345678": "fail"}

    def campaign_for(self, patients):
        visits = [self.make_visit(p, self.tomorrow, 8 + n) for n, p in enumerate(patients)]
        campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        campaign.action_send()
        return campaign, visits

    def receive(self):
        return self.gw_sms._smpp_receive(idle=0.3, limit=5)

    def test_c14_submit_sm_and_delivery_receipts(self):
        campaign, _visits = self.campaign_for([self.anna, self.boris])
        self.dispatch()
        self.assertEqual(len(self.smsc.messages), 2)
        by_patient = {m.partner_id: m for m in campaign.message_ids}
        self.assertEqual(by_patient[self.anna].state, "sent")
        self.assertIn("Anna Schmidt", self.smsc.messages[0]["text"] + self.smsc.messages[1]["text"])
        self.receive()
        self.assertEqual(by_patient[self.anna].state, "delivered")
        self.assertEqual(by_patient[self.boris].state, "failed")
        self.assertTrue(self.smsc.wait_for(lambda: self.smsc.waiting() == 0), "acknowledged")

    def test_c14_receipts_not_recorded_come_again(self):
        campaign, _visits = self.campaign_for([self.anna])
        self.dispatch()
        Gateway = type(self.gw_sms)
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            original = Gateway._smpp_record

            def crash(gateway, deliveries):
                raise RuntimeError("worker died while recording")

            Gateway._smpp_record = crash
            try:
                self.receive()
            finally:
                Gateway._smpp_record = original
        self.assertTrue(self.smsc.waiting(), "not acknowledged: the SMSC keeps the receipts")
        self.receive()
        self.assertEqual(campaign.message_ids.state, "delivered")
        self.assertTrue(self.smsc.wait_for(lambda: self.smsc.waiting() == 0))

    def test_c14_dropped_bind_reconnects_and_loses_no_queued_message(self):
        patients = [self.make_patient(f"Drop {n}", f"+4915400000{n:02d}") for n in range(4)]
        campaign, _visits = self.campaign_for(patients)
        messages = campaign.message_ids.sorted("id")
        # The SMSC goes away with the third message's submit_sm in flight (a reminder is
        # sent as concatenated parts, one submit_sm each).
        self.smsc.drop_at_submit = 1 + sum(len(gsm.make_parts(m.body)[0]) for m in messages[:2])
        with mute_logger("odoo.addons.clinic_reminder.tools.smpp_client"):
            self.dispatch()
        states = messages.mapped("state")
        self.assertEqual(states, ["sent", "sent", "unknown", "sent"])
        self.assertEqual(self.smsc.binds, 2, "bound again after the drop")
        self.assertEqual(len(self.smsc.messages), 3, "the one in flight never arrived")
        self.assertEqual(len({m["to"] for m in self.smsc.messages}), 3, "nobody twice")
        self.dispatch()
        self.assertEqual(len(self.smsc.messages), 3, "the unknown one is not resent by itself")

    def test_c14_smsc_down_messages_wait(self):
        campaign, _visits = self.campaign_for([self.anna])
        self.gw_sms.smpp_system_id = "not-ours"  # bind refused (ESME_RBINDFAIL)
        self.dispatch()
        message = campaign.message_ids
        self.assertEqual((message.state, message.attempts), ("queued", 1))
        self.gw_sms.smpp_system_id = self.smsc.system_id
        with freeze_time(fields.Datetime.now() + timedelta(minutes=2)):
            self.dispatch()
        self.assertEqual(message.state, "sent")
        self.assertEqual(len(self.smsc.messages), 1)

    def test_c14_invalid_destination_fails(self):
        campaign, _visits = self.campaign_for([self.anna])
        campaign.message_ids.recipient = "not-a-number"
        self.dispatch()
        self.assertEqual(campaign.message_ids.state, "failed")
        self.assertIn("Invalid Destination Address", campaign.message_ids.error)
