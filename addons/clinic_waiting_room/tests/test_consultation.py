from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import WaitingRoomCommon


@tagged("post_install", "-at_install")
class TestConsultation(WaitingRoomCommon, TransactionCase):
    def join_call(self, entry, user):
        """What Discuss does when someone joins the call (without the media part)."""
        # sudo: discuss.channel.member - set up the call as the Discuss RPC would
        member = entry.channel_id.sudo().channel_member_ids.filtered(
            lambda m: m.partner_id == user.partner_id if user else m.guest_id
        )
        return (
            self.env["discuss.channel.rtc.session"].sudo().create({"channel_member_id": member.id})
        )

    def test_w7_start_video_brings_patient_into_the_call(self):
        entry = self.entry_anna
        result = entry.with_user(self.operator).action_start_video()
        self.assertEqual(result, {"channel_id": entry.channel_id.id})
        self.assertEqual(entry.state, "in_consultation")
        self.assertIn(self.operator.partner_id, entry.channel_id.channel_member_ids.partner_id)
        self.assertEqual(
            entry._patient_state_values()["video_url"], f"/discuss/channel/{entry.channel_id.id}"
        )

    def test_w6_hold_then_leave_puts_patient_on_hold(self):
        entry = self.entry_anna
        entry.with_user(self.operator).action_start_video()
        staff_session = self.join_call(entry, self.operator)
        guest_session = self.join_call(entry, None)
        entry.with_user(self.operator).action_hold()
        self.assertEqual(entry.state, "in_consultation")
        staff_session.unlink()  # staff: Hang up -> Leave call
        self.assertEqual(entry.state, "on_hold")
        self.assertFalse(guest_session.exists(), "the patient is taken out of the call")
        self.assertFalse(entry.hold_requested)
        self.assertFalse(entry.consultant_id)
        # and can be brought back
        entry.with_user(self.operator).action_start_video()
        self.assertEqual(entry.state, "in_consultation")

    def test_w6_leaving_without_hold_ends_the_visit(self):
        entry = self.entry_anna
        entry.with_user(self.operator).action_start_video()
        staff_session = self.join_call(entry, self.operator)
        self.join_call(entry, None)
        staff_session.unlink()
        self.assertEqual(entry.state, "finished")

    def test_w6_patient_leaving_does_not_end_the_visit(self):
        entry = self.entry_anna
        entry.with_user(self.operator).action_start_video()
        self.join_call(entry, self.operator)
        self.join_call(entry, None).unlink()
        self.assertEqual(entry.state, "in_consultation")

    def test_w6_hold_needs_a_consultation(self):
        with self.assertRaises(UserError):
            self.entry_anna.with_user(self.operator).action_hold()

    def test_w10_call_lock(self):
        entry = self.entry_anna
        entry.with_user(self.operator).action_start_video()
        result = entry.with_user(self.operator2).action_start_video()
        self.assertEqual(result, {"locked_by": self.operator.name})
        self.assertNotIn(self.operator2.partner_id, entry.channel_id.channel_member_ids.partner_id)
        result = entry.with_user(self.operator2).action_start_video(force=True)
        self.assertEqual(result["channel_id"], entry.channel_id.id)
        self.assertEqual(entry.consultant_id, self.operator2)

    def test_finished_visit_cannot_restart(self):
        self.entry_anna.with_user(self.operator).action_finish()
        with self.assertRaises(UserError):
            self.entry_anna.with_user(self.operator).action_start_video()

    def test_visit_from_appointment_is_created_once(self):
        event = self.env["calendar.event"].create(
            {
                "name": "Check-up",
                "patient_id": self.anna.id,
                "start": "2030-01-01 10:00:00",
                "stop": "2030-01-01 10:30:00",
            }
        )
        action = event.with_user(self.operator).action_clinic_waiting_room()
        entry = self.env["clinic.waiting.entry"].browse(action["res_id"])
        self.assertEqual((entry.patient_id, entry.appointment_id), (self.anna, event))
        again = event.with_user(self.operator).action_clinic_waiting_room()
        self.assertEqual(again["res_id"], entry.id)

    def test_r3_finished_visit_revokes_guest_channel_access(self):
        entry = self.entry_anna
        entry.with_user(self.operator).action_start_video()
        self.join_call(entry, self.operator)
        self.join_call(entry, None)
        entry.with_user(self.operator).action_finish()
        self.assertFalse(entry.channel_id.channel_member_ids.guest_id)
        # sudo: discuss.channel.rtc.session - checking the call is over
        self.assertFalse(entry.channel_id.sudo().rtc_session_ids)
        channel = entry.channel_id.with_user(self.env.ref("base.public_user")).with_context(
            guest=entry.guest_id
        )
        self.assertFalse(channel.search([("id", "=", entry.channel_id.id)]))

    def test_r3_cron_ends_expired_visits(self):
        self.entry_anna.with_user(self.operator).action_start_video()
        self.entry_anna.expires_at = "2000-01-01"
        self.env["clinic.waiting.entry"]._cron_finish_expired()
        self.assertEqual(self.entry_anna.state, "finished")
        self.assertEqual(self.entry_boris.state, "waiting")
        self.assertFalse(self.entry_anna.channel_id.channel_member_ids.guest_id)
