import json

from odoo.addons.clinic_base.tools.signature import sign
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

    @mute_logger("odoo.addons.clinic_reminder.controllers.main", "odoo.http")
    def test_c9_bad_signature_rejected_nothing_changed(self):
        body, headers = self.messenger.signed_request(
            {"id": self.message.provider_message_id, "status": "failed"}
        )
        headers["X-Clinic-Signature"] = "sha256=" + "0" * 64
        response = self.url_open(self.url, data=body, headers=headers)
        self.assertEqual(response.status_code, 403)
        del headers["X-Clinic-Signature"]
        self.assertEqual(self.url_open(self.url, data=body, headers=headers).status_code, 403)
        stale = self.post(
            {"id": self.message.provider_message_id, "status": "failed"}, timestamp=1_000_000
        )
        self.assertEqual(stale.status_code, 403)
        self.message.invalidate_recordset()
        self.assertEqual(self.message.state, "sent")
        self.assertEqual(len(self.campaign.message_ids), 1, "no fallback SMS queued")

    @mute_logger("odoo.http")
    def test_c9_unknown_gateway_and_malformed_reports(self):
        body, headers = self.messenger.signed_request({"id": "x", "status": "delivered"})
        missing = self.url_open("/clinic/reminder/callback/nope", data=body, headers=headers)
        self.assertEqual(missing.status_code, 404)
        for payload in ([1, 2], {"id": 5, "status": "delivered"}, {"id": "x", "status": "gone"}):
            with self.subTest(payload=payload):
                self.assertEqual(self.post(payload).status_code, 400)
        body = b"{not json"
        headers = self.messenger.signed_request({})[1]
        ts = headers["X-Clinic-Timestamp"]
        headers["X-Clinic-Signature"] = sign(self.messenger.secret, ts, body)
        self.assertEqual(self.url_open(self.url, data=body, headers=headers).status_code, 400)

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
        self.env["clinic.reminder.message"]._cron_dispatch()
        self.assertEqual(len(self.sms.texts_to(FAIL_NUMBER)), 1)
