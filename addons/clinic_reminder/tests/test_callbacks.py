import json

from odoo.addons.clinic_base.tests.signed_endpoint import SignedEndpointCases
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ClinicReminderCommon

FAIL_NUMBER = "+4915100000012"


@tagged("post_install", "-at_install")
class TestCallbacks(ClinicReminderCommon, HttpCase):
    """Signed delivery reports over HTTP (C9, C10)."""

    MESSENGER_OUTCOMES = {FAIL_NUMBER: "fail"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patient = cls.make_patient("Carl Callback", FAIL_NUMBER)
        cls.visit = cls.make_visit(cls.patient, cls.tomorrow, 10)

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        self.campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        self.campaign.action_send()
        self.dispatch()
        self.message = self.campaign.message_ids
        self.assertEqual(self.message.state, "sent")
        self.url = f"/clinic/reminder/callback/{self.gw_messenger.code}"

    def post(self, payload, **kw):
        body, headers = self.messenger.signed_request(payload, **kw)
        return self.url_open(self.url, data=body, headers=headers)

    def test_c9_signed_report_updates_state(self):
        response = self.post({"id": self.message.provider_message_id, "status": "delivered"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.message.state, "delivered")

    @mute_logger("odoo.addons.clinic_reminder.controllers.main")
    def test_c9_malformed_reports_400(self):
        before = self.message.state
        for payload in (
            {"id": 5, "status": "delivered"},
            {"id": "x", "status": "gone"},
            {"id": self.message.provider_message_id, "status": "failed", "error": {"a": 1}},
        ):
            with self.subTest(payload=payload):
                response = self.post(payload)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(
                    response.json(), {"ok": False, "error": "malformed delivery report"}
                )
        self.message.invalidate_recordset()
        self.assertEqual(self.message.state, before)
        self.assertEqual(len(self.campaign.message_ids), 1, "no fallback SMS queued")

    def test_c10_duplicate_callbacks_are_idempotent(self):
        report = {"id": self.message.provider_message_id, "status": "failed"}
        first = self.post(report)
        second = self.post(report)
        self.assertEqual(json.loads(first.text)["changed"], True)
        self.assertEqual(json.loads(second.text)["changed"], False)
        sms = self.campaign.message_ids.filtered(lambda m: m.channel == "sms")
        self.assertEqual(len(sms), 1, "one fallback SMS for two identical reports")

    def test_c10_out_of_order_reports(self):
        provider_id = self.message.provider_message_id
        self.post({"id": provider_id, "status": "read"})
        self.post({"id": provider_id, "status": "delivered"})
        self.post({"id": provider_id, "status": "failed"})
        self.message.invalidate_recordset()
        self.assertEqual(self.message.state, "read")
        self.assertFalse(self.campaign.message_ids.filtered(lambda m: m.channel == "sms"))

    def test_c9_local_gateway_posts_signed_reports(self):
        # The test opener carries the cookie that routes requests to the test cursor.
        codes = self.messenger.post_callbacks(session=self.opener)
        self.assertEqual(codes, [200])
        self.message.invalidate_recordset()
        self.assertEqual(self.message.state, "failed")
        self.dispatch()
        self.assertEqual(len(self.sms.texts_to(FAIL_NUMBER)), 1)


@tagged("post_install", "-at_install")
class TestCallbackSignedGate(SignedEndpointCases, ClinicReminderCommon, HttpCase):
    """Delivery reports answer like the PBX webhook (clinic_base's verify_request, C9)."""

    KNOWN_CODE = "test_messenger"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.SIGNED_SECRET = cls.messenger.secret
        cls.visit = cls.make_visit(cls.make_patient("Gina Gate", "+4915100000013"), cls.tomorrow, 9)

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        self.campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        self.campaign.action_send()
        self.dispatch()

    def signed_path(self, code):
        return f"/clinic/reminder/callback/{code}"

    def accepted_body(self):
        return {"id": self.campaign.message_ids[:1].provider_message_id, "status": "read"}

    def writes(self):
        self.env.invalidate_all()
        return sorted(self.campaign.message_ids.mapped(lambda m: (m.id, m.state)))
