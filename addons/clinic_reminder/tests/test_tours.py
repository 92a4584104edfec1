from odoo.tests import HttpCase, tagged

from .common import ClinicReminderCommon


@tagged("post_install", "-at_install")
class TestReminderTours(ClinicReminderCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator.write({"password": "clinic_operator"})

    def test_c6_tour_coloured_list_double_click(self):
        names = ("Tina Blue", "Gus Green", "Rita Red", "Greta Grey")
        visits = {
            name: self.make_visit(self.make_patient(name, f"+49151000001{i}"), self.tomorrow, 9 + i)
            for i, name in enumerate(names)
        }
        self.gw_messenger.kind = "telegram"  # no chats: no messenger message reaches anyone
        campaign = self.env["clinic.reminder.campaign"].create({"date": self.tomorrow})
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        campaign.action_send()
        tina = campaign.message_ids.filtered(
            lambda m: m.event_id == visits["Tina Blue"] and m.channel == "messenger"
        )
        tina.write({"state": "delivered"})
        visits["Gus Green"]._clinic_reminder_respond("confirm")
        visits["Rita Red"]._clinic_reminder_respond("cancel")
        self.start_tour(
            "/odoo/action-clinic_reminder.action_reminder_lines",
            "clinic_reminder_list_tour",
            login="clinic_operator",
        )
        greta = campaign.list_id.line_ids.filtered(lambda r: r.event_id == visits["Greta Grey"])
        self.assertTrue(greta.reminder_handled)
        self.assertEqual(greta.reminder_colour, "pink")

    def test_c8_tour_patient_page_choices(self):
        visit = self.make_visit(self.anna, self.tomorrow, 9)
        visit._clinic_reminder_ensure_token()
        self.start_tour(f"/clinic/r/{visit.clinic_reminder_token}", "clinic_reminder_response_tour")
        self.assertEqual(visit.clinic_state, "confirmed")
        self.assertEqual(visit.clinic_reminder_response, "confirm")
