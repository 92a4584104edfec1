from odoo.addons.sms.tests.common import SMSCase
from odoo.tests import Form, tagged

from .common import WaitingRoomCommon

ANNA_MOBILE = "+4915123456789"


@tagged("post_install", "-at_install")
class TestSendLink(WaitingRoomCommon, SMSCase):
    """The personal link goes out by SMS or e-mail (W4, R3)."""

    def open_composer(self, action):
        return Form(
            self.env[action["res_model"]].with_user(self.operator).with_context(**action["context"])
        )

    def test_w4_link_by_sms_to_the_patient_mobile(self):
        entry = self.entry_anna.with_user(self.operator)
        url = entry.patient_url
        self.assertIn(f"/clinic/wait/{self.entry_anna.sudo().access_token}", url)
        composer = self.open_composer(entry.action_send_link_sms())
        # prefilled: the link in the text, the patient's mobile (not the landline) as recipient
        self.assertIn(url, composer.body)
        self.assertEqual(composer.recipient_single_number_itf, ANNA_MOBILE)
        body = composer.body
        with self.mockSMSGateway():
            composer.save().action_send_sms()
        self.assertSMSIapSent([ANNA_MOBILE], content=url)
        self.assertSMSNotification(
            [{"partner": self.anna, "number": ANNA_MOBILE, "state": "pending"}],
            body,
            messages=self.entry_anna.message_ids.filtered(lambda m: m.message_type == "sms"),
        )

    def test_w4_other_patient_link_goes_to_their_own_mobile(self):
        composer = self.open_composer(
            self.entry_boris.with_user(self.operator).action_send_link_sms()
        )
        self.assertIn(self.entry_boris.patient_url, composer.body)
        self.assertNotIn(self.entry_anna.patient_url, composer.body)
        self.assertEqual(composer.recipient_single_number_itf, "+79162345678")

    def test_w4_link_by_sms_follows_the_clinic_number_rule(self):
        """A patient reachable only on a relative's number gets the link there (clinic_base's
        one rule for the number to reach; Odoo's own fallback reads only mobile and phone)."""
        carla = self.env["res.partner"].create({"name": "Carla Kind", "is_patient": True})
        self.env["clinic.partner.phone"].create(
            {"partner_id": carla.id, "label": "Mother", "number": "0176 99887766"}
        )
        entry = self.env["clinic.waiting.entry"].create(
            {"patient_id": carla.id, "room_id": self.room.id}
        )
        composer = self.open_composer(entry.with_user(self.operator).action_send_link_sms())
        self.assertEqual(composer.recipient_single_number_itf, "+4917699887766")

    def test_w4_link_by_email(self):
        composer = self.open_composer(
            self.entry_anna.with_user(self.operator).action_send_link()
        ).save()
        self.assertIn(self.entry_anna.patient_url, composer.body)
        self.assertEqual(composer.partner_ids, self.anna)
