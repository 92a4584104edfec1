"""C9: Odoo's own SMS gateway, through the sms module's IAP mock and its status webhook."""

from odoo.addons.sms.tests.common import MockSMS
from odoo.tests import tagged

from .common import ClinicReminderCommon


@tagged("post_install", "-at_install")
class TestOdooSmsGateway(ClinicReminderCommon, MockSMS):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gw_sms.kind = "odoo_sms"
        cls.gw_messenger.kind = "telegram"  # nobody connected: everyone gets an SMS
        cls.visit_anna = cls.make_visit(cls.anna, cls.tomorrow, 9)
        cls.visit_boris = cls.make_visit(cls.boris, cls.tomorrow, 10)

    def send_campaign(self, **mock):
        campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        with self.mockSMSGateway(**mock):
            campaign.action_send()
            self.dispatch()
        sms = campaign.message_ids.filtered(lambda m: m.channel == "sms")
        return {message.event_id: message for message in sms}

    def report(self, status, *messages):
        self.make_jsonrpc_request(
            "/sms/status",
            {
                "message_statuses": [
                    {"sms_status": status, "uuids": [m.provider_message_id for m in messages]}
                ]
            },
        )
        for message in messages:
            message.invalidate_recordset()

    def test_c9_odoo_sms_sent_in_one_batch_through_iap(self):
        sms = self.send_campaign()
        self.assertEqual(
            sorted(sent["number"] for sent in self._sms), ["+4915123456789", "+79162345678"]
        )
        self.assertEqual({m.state for m in sms.values()}, {"sent"})

    def test_c9_odoo_sms_delivery_reports_update_messages(self):
        sms = self.send_campaign()
        anna, boris = sms[self.visit_anna], sms[self.visit_boris]
        self.report("delivered", anna)
        self.assertEqual(anna.state, "delivered")
        self.assertTrue(anna.delivered_date)
        self.report("not_delivered", boris)
        self.assertEqual(boris.state, "failed")
        self.assertEqual(boris.error, "not_delivered")
        # Repeated or late reports change nothing (C10).
        self.report("sent", anna)
        self.report("not_delivered", anna)
        self.assertEqual(anna.state, "delivered")

    def test_c9_odoo_sms_refused_by_iap_fails_the_message(self):
        sms = self.send_campaign(sim_error="wrong_number_format")
        self.assertEqual({m.state for m in sms.values()}, {"failed"})
        self.assertEqual(sms[self.visit_anna].error, "sms_number_format")
