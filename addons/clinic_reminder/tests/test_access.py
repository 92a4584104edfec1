from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, JsonRpcException, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import ClinicReminderCommon


@tagged("post_install", "-at_install")
class TestAccess(ClinicReminderCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit, cls.campaign = cls.make_sent_campaign(cls.anna, 9)

    def test_operator_reads_but_cannot_configure_gateways(self):
        Gateway = self.env["clinic.reminder.gateway"].with_user(self.operator)
        self.assertTrue(Gateway.search([]))
        with self.assertRaises(AccessError):
            Gateway.create({"name": "x", "code": "x", "kind": "http_json", "channel": "sms"})
        with self.assertRaises(AccessError):
            self.gw_sms.with_user(self.operator).write({"url": "http://evil"})
        with self.assertRaises(AccessError):
            self.gw_sms.with_user(self.operator).read(["api_token"])
        with self.assertRaises(AccessError):
            self.gw_sms.with_user(self.operator).read(["webhook_secret"])

    def test_manager_configures_gateways(self):
        self.gw_sms.with_user(self.manager).write({"url": "http://127.0.0.1:1"})
        self.assertTrue(self.gw_sms.with_user(self.manager).api_token)

    def test_c5_manager_runs_a_campaign_by_hand(self):
        visit = self.make_visit(self.boris, self.today + timedelta(days=2), 9)
        campaign = (
            self.env["clinic.reminder.campaign"]
            .with_user(self.manager)
            .create({"date": self.today + timedelta(days=2)})
        )
        campaign.action_send()
        self.dispatch()
        self.assertEqual(campaign.list_id.line_ids.event_id, visit)
        self.assertEqual(campaign.message_ids.mapped("state"), ["sent"])

    def test_c5_settings_store_times_and_gateways(self):
        """The clinic manager, no Odoo administrator, sets them on Clinic settings (issue 17)."""
        self.assertFalse(self.manager.has_group("base.group_system"))
        settings = (
            self.env["clinic.settings"]
            .with_user(self.manager)
            .create(
                {
                    "clinic_reminder_hour": 13.5,
                    "clinic_reminder_sms_gateway_id": self.gw_sms.id,
                }
            )
        )
        settings.execute()
        self.assertEqual(self.company.clinic_reminder_hour, 13.5)
        self.assertEqual(self.company.clinic_reminder_sms_gateway_id, self.gw_sms)
        with self.assertRaises(AccessError):
            self.env["clinic.settings"].with_user(self.operator).create({"clinic_reminder_hour": 3})

    def test_plain_user_sees_no_reminders(self):
        for model in (
            "clinic.reminder.message",
            "clinic.reminder.campaign",
            "clinic.reminder.gateway",
            "clinic.reminder.report",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.plain_user).search([])

    def test_operator_cannot_send_or_fake_states(self):
        message = self.campaign.message_ids[:1].with_user(self.operator)
        self.assertTrue(message.state)
        with self.assertRaises(AccessError):
            message.write({"state": "read"})
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.operator).write({"evening_sms_date": False})
        with self.assertRaises(AccessError):
            self.env["clinic.reminder.report"].with_user(self.operator).search([])

    def test_r3_plain_user_cannot_read_tokens(self):
        with self.assertRaises(AccessError):
            self.visit.with_user(self.plain_user).read(["clinic_reminder_token"])

    def test_c5_only_reminder_rows_can_be_marked(self):
        other = self.env["clinic.call.list"].create({"name": "Ad hoc", "kind": "adhoc"})
        line = self.env["clinic.call.list.line"].create(
            {"list_id": other.id, "partner_id": self.anna.id}
        )
        with self.assertRaises(UserError):
            line.with_user(self.operator).action_reminder_toggle_handled()


@tagged("post_install", "-at_install")
class TestAccessRpc(ClinicReminderCommon, HttpCase):
    def test_plain_user_cannot_read_messages_over_rpc(self):
        self.plain_user.password = "clinic_plain"
        self.authenticate("clinic_plain", "clinic_plain")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "clinic.reminder.message",
                    "method": "search_read",
                    "args": [[]],
                    "kwargs": {"fields": ["recipient", "body"]},
                },
            )
        self.assertIn("AccessError", str(caught.exception))

    def test_operator_cannot_read_gateway_secret_over_rpc(self):
        self.operator.password = "clinic_operator"
        self.authenticate("clinic_operator", "clinic_operator")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "clinic.reminder.gateway",
                    "method": "read",
                    "args": [self.gw_sms.ids, ["webhook_secret"]],
                    "kwargs": {},
                },
            )
