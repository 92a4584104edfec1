"""R6, issue 11.2: two clinics' campaigns, gateways, messages and replies kept apart."""

import secrets
from datetime import datetime, time, timedelta

import pytz

from odoo.addons.clinic_base.tests.common import ClinicMultiCompanyCommon
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from ..tools import keys
from ..tools.local_gateway import LocalGateway


@tagged("post_install", "-at_install")
class TestReminderCompanies(ClinicMultiCompanyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_b = new_test_user(
            cls.env,
            login="clinic_manager_b",
            groups="clinic_base.group_clinic_manager",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        Gateway = cls.env["clinic.reminder.gateway"]
        cls.servers, cls.gateways = {}, {}
        for company in (cls.company_a, cls.company_b):
            secret = secrets.token_hex(16)
            server = LocalGateway("tok", keys.derive(secret, keys.DELIVERY_REPORTS)).start()
            cls.addClassCleanup(server.stop)
            gateway = Gateway.create(
                {
                    "name": f"SMS {company.name}",
                    "code": f"sms_{company.id}",
                    "kind": "http_json",
                    "channel": "sms",
                    "url": server.url,
                    "api_token": "tok",
                    "webhook_secret": secret,
                    "company_id": company.id,
                }
            )
            company.write(
                {
                    "clinic_reminder_sms_gateway_id": gateway.id,
                    "clinic_reminder_messenger_gateway_id": False,
                    "clinic_reminder_quiet_start": 0.0,
                    "clinic_reminder_quiet_end": 0.0,
                }
            )
            cls.servers[company], cls.gateways[company] = server, gateway
        cls.tomorrow = cls.company_b._clinic_today() + timedelta(days=1)
        tz = pytz.timezone("Europe/Vienna")
        start = tz.localize(datetime.combine(cls.tomorrow, time(10))).astimezone(pytz.utc)
        start = start.replace(tzinfo=None)
        cls.visits = {
            patient: cls.env["calendar.event"].create(
                {"patient_id": patient.id, "start": start, "stop": start + timedelta(minutes=30)}
            )
            for patient in (cls.patient_a, cls.patient_b)
        }

    def rpc(self, user, password, model, method, *args):
        user.password = password
        self.authenticate(user.login, password)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": {}},
        )

    def test_11_2_campaign_lists_and_messages_only_its_own_patients(self):
        campaign_id = self.rpc(
            self.manager_b,
            "manager_b_pw",
            "clinic.reminder.campaign",
            "create",
            {"date": str(self.tomorrow), "company_id": self.company_b.id},
        )
        self.rpc(
            self.manager_b, "manager_b_pw", "clinic.reminder.campaign", "action_send", [campaign_id]
        )
        self.env["clinic.reminder.message"]._cron_dispatch()
        campaign = self.env["clinic.reminder.campaign"].browse(campaign_id)
        self.assertEqual(campaign.list_id.line_ids.partner_id, self.patient_b)
        self.assertEqual(campaign.message_ids.partner_id, self.patient_b)
        self.assertEqual(campaign.message_ids.gateway_id, self.gateways[self.company_b])
        self.assertEqual(len(self.servers[self.company_b].sent), 1)
        self.assertFalse(self.servers[self.company_a].sent, "nothing through the other clinic")

    def test_r6_other_clinics_records_unreadable_over_rpc(self):
        campaign_a = self.env["clinic.reminder.campaign"].create(
            {"date": self.tomorrow, "company_id": self.company_a.id}
        )
        campaign_a.action_send()
        self.env["clinic.reminder.message"]._cron_dispatch()
        self.env["clinic.reminder.reply"]._receive(
            self.gateways[self.company_a], self.SHARED_NUMBER, "ja", None
        )
        for model in (
            "clinic.reminder.campaign",
            "clinic.reminder.message",
            "clinic.reminder.gateway",
            "clinic.reminder.reply",
        ):
            with self.subTest(model=model):
                theirs = [("company_id", "=", self.company_a.id)]
                self.assertTrue(self.env[model].search(theirs))
                found = self.rpc(self.operator_b, "operator_b_pw", model, "search", theirs)
                self.assertFalse(found)
        message_a = campaign_a.message_ids[:1]
        self.assertTrue(message_a)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self.rpc(
                self.operator_b, "operator_b_pw", "clinic.reminder.message", "read", message_a.ids
            )
        self.assertIn("AccessError", str(caught.exception))

    def test_r6_a_clinic_uses_only_its_own_gateways(self):
        with self.assertRaises(ValidationError):
            self.company_b.clinic_reminder_sms_gateway_id = self.gateways[self.company_a]
        with self.assertRaises(AccessError):
            self.gateways[self.company_a].with_user(self.manager_b).read(["name"])

    def test_r6_reply_matches_only_the_gateways_clinic(self):
        # Both clinics have a patient behind the same number.
        reply = self.env["clinic.reminder.reply"]._receive(
            self.gateways[self.company_b], self.SHARED_NUMBER, "hallo", None
        )
        self.assertEqual(reply.partner_id, self.patient_b)
        self.assertEqual(reply.company_id, self.company_b)
