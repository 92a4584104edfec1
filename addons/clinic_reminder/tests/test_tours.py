from odoo.tests import HttpCase, tagged

from .common import ClinicReminderCommon


@tagged("post_install", "-at_install")
class TestReminderTours(ClinicReminderCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator.write({"password": "clinic_operator"})

    def _coloured_campaign(self):
        names = ("Tina Blue", "Gus Green", "Rita Red", "Greta Grey")
        visits = {
            name: self.make_visit(self.make_patient(name, f"+49151000001{i}"), self.tomorrow, 9 + i)
            for i, name in enumerate(names)
        }
        self.gw_messenger.kind = "telegram"  # no chats: no messenger message reaches anyone
        campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        campaign.action_send()
        self.dispatch()
        tina = campaign.message_ids.filtered(
            lambda m: m.event_id == visits["Tina Blue"] and m.channel == "messenger"
        )
        tina.write({"state": "delivered"})
        visits["Gus Green"]._clinic_reminder_respond("confirm")
        visits["Rita Red"]._clinic_reminder_respond("cancel")
        greta = campaign.list_id.line_ids.filtered(lambda r: r.event_id == visits["Greta Grey"])
        return campaign, greta

    def test_c6_tour_coloured_list_double_click(self):
        _campaign, greta = self._coloured_campaign()
        self.start_tour(
            "/odoo/action-clinic_reminder.action_reminder_lines",
            "clinic_reminder_list_tour",
            login="clinic_operator",
        )
        self.assertTrue(greta.reminder_handled)
        self.assertEqual(greta.reminder_colour, "pink")

    def test_c6_tour_operator_screen_live_colours(self):
        campaign, greta = self._coloured_campaign()
        self.start_tour(
            f"/odoo/action-clinic_calldrive.action_clinic_call_operator?list_id={campaign.list_id.id}",
            "clinic_reminder_operator_tour",
            login="clinic_operator",
        )
        self.assertTrue(greta.reminder_handled)
        tina = campaign.list_id.line_ids.filtered(lambda r: r.partner_id.name == "Tina Blue")
        self.assertEqual(tina.reminder_colour, "pink")

    def test_c8_tour_patient_page_choices(self):
        visit = self.make_visit(self.anna, self.tomorrow, 9)
        visit._clinic_reminder_ensure_token()
        self.start_tour(f"/clinic/r/{visit.clinic_reminder_token}", "clinic_reminder_response_tour")
        self.assertEqual(visit.clinic_state, "confirmed")
        self.assertEqual(visit.clinic_reminder_response, "confirm")

    def test_c15_tour_followup_dialog_requires_a_comment(self):
        visit = self.make_visit(self.anna, self.tomorrow, 9)
        followup = self.env["clinic.call.list"].create(
            {"name": "Morning calls", "kind": "followup"}
        )
        row = self.env["clinic.call.list.line"].create(
            {"list_id": followup.id, "partner_id": self.anna.id, "event_id": visit.id}
        )
        self.start_tour(
            f"/odoo/action-clinic_calldrive.action_clinic_call_operator?list_id={followup.id}",
            "clinic_reminder_followup_finish_tour",
            login="clinic_operator",
        )
        self.assertEqual(row.state, "done")
        self.assertEqual(row.last_comment, "Answered, will come at 9")
        self.assertEqual(row.attempt_ids.comment, "Answered, will come at 9")
        self.assertEqual(len(row.attempt_ids), 1)
        self.assertEqual(visit.clinic_state, "confirmed")

    def _replied_campaign(self):
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        rosa = self.make_patient("Rosa Reply", "+4915100000201")
        paul = self.make_patient("Paul Plain", "+4915100000202")
        visits = {p: self.make_visit(p, self.tomorrow, 9 + n) for n, p in enumerate((rosa, paul))}
        self.gw_messenger.kind = "telegram"  # no chats: the reminders go by SMS
        campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        campaign.action_send()
        self.dispatch()
        reply = self.env["clinic.reminder.reply"]._receive(
            self.gw_sms, "+4915100000201", "да", None
        )
        return campaign, visits[rosa], reply

    def test_c12_tour_reply_confirmed_with_one_click(self):
        _campaign, visit, reply = self._replied_campaign()
        self.assertEqual(visit.clinic_state, "booked")
        self.start_tour(
            "/odoo/action-clinic_reminder.action_reminder_lines",
            "clinic_reminder_reply_tour",
            login="clinic_operator",
        )
        self.assertEqual(visit.clinic_state, "confirmed")
        self.assertEqual((reply.state, reply.handled_by_id), ("confirmed", self.operator))

    def test_c12_tour_operator_screen_counts_replies(self):
        campaign, _visit, _reply = self._replied_campaign()
        self.start_tour(
            f"/odoo/action-clinic_calldrive.action_clinic_call_operator?list_id={campaign.list_id.id}",
            "clinic_reminder_replied_filter_tour",
            login="clinic_operator",
        )
