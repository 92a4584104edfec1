import re

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import ClinicReminderCommon

BORIS = "+79162345678"
EMIL = "+4915100000005"


@tagged("post_install", "-at_install")
class TestWholeDay(ClinicReminderCommon, HttpCase):
    """C5-C10 in one day: 12:00 campaign to the next morning's follow-up list."""

    MESSENGER_OUTCOMES = {BORIS: "fail", EMIL: "fail"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clara = cls.make_patient("Clara Blau", "+4915100000003")
        cls.dora = cls.make_patient("Dora Rosa", "+4915100000004")
        cls.emil = cls.make_patient("Emil Grau", EMIL)
        cls.fritz = cls.make_patient("Fritz Rot", "+4915100000006")
        cls.visits = {
            partner: cls.make_visit(partner, cls.tomorrow, hour)
            for partner, hour in (
                (cls.fritz, 16),
                (cls.anna, 9),
                (cls.boris, 10),
                (cls.clara, 11),
                (cls.dora, 12),
                (cls.emil, 14),
            )
        }
        cls.result_ok = cls.env.ref("clinic_reminder.result_followup_will_come")

    def at(self, day, hour, minute=0):
        return freeze_time(self.local_to_utc(day, hour, minute))

    def cron(self, day, hour, minute=0):
        with self.at(day, hour, minute):
            self.env["clinic.reminder.campaign"]._cron_run()
            self.dispatch()

    def respond(self, partner, choice):
        """The patient opens the link from their message and picks ``choice``."""
        number = partner._clinic_numbers_to_reach()[partner.id].number_e164
        sent = self.messenger.texts_to(number) or self.sms.texts_to(number)
        path = re.search(r"(/clinic/r/[\w-]+)", sent[-1]).group(1)
        self.authenticate(None, None)
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.assertEqual(
            self.url_open(f"{path}/{choice}", data={"csrf_token": csrf}).status_code, 200
        )

    def colours(self, call_list):
        call_list.line_ids.invalidate_recordset()
        return {line.partner_id: line.reminder_colour for line in call_list.line_ids}

    def test_c5_c10_whole_day(self):
        self.env["ir.config_parameter"].set_param("web.base.url", self.base_url())
        Campaign = self.env["clinic.reminder.campaign"]
        # 11:00: too early.
        self.cron(self.today, 11)
        self.assertFalse(Campaign.search([]))
        # 12:00: the campaign builds tomorrow's chronological list and messages everyone.
        self.cron(self.today, 12, 1)
        campaign = Campaign.search([("date", "=", self.tomorrow)])
        rows = campaign.list_id.line_ids.sorted("sequence")
        self.assertEqual(
            rows.partner_id.mapped("name"),
            [
                "Anna Schmidt",
                "Boris Ivanov",
                "Clara Blau",
                "Dora Rosa",
                "Emil Grau",
                "Fritz Rot",
            ],
        )
        self.assertEqual(len(self.messenger.sent), 6)
        self.assertFalse(self.sms.sent)
        self.assertEqual(set(self.colours(campaign.list_id).values()), {"grey"})

        # Delivery reports come back signed over HTTP: 4 delivered, 2 failed.
        codes = self.messenger.post_callbacks(session=self.opener)
        self.assertEqual(codes, [200] * 6)
        self.dispatch()  # the fallback SMS
        self.assertEqual(sorted(m["to"] for m in self.sms.sent.values()), sorted([BORIS, EMIL]))
        colours = self.colours(campaign.list_id)
        self.assertEqual(colours[self.anna], "blue")
        self.assertEqual(colours[self.boris], "grey")
        self.assertEqual(colours[self.emil], "grey")

        # C10: a late "delivered" for Emil's messenger message sends nothing more.
        late = campaign.message_ids.filtered(
            lambda m: m.partner_id == self.emil and m.channel == "messenger"
        )
        body, headers = self.messenger.signed_request(
            {"id": late.provider_message_id, "status": "delivered"}
        )
        url = f"/clinic/reminder/callback/{self.gw_messenger.code}"
        self.assertEqual(self.url_open(url, data=body, headers=headers).status_code, 200)

        # Patients answer through their personal page.
        self.respond(self.anna, "confirm")
        self.respond(self.boris, "reschedule")  # link from the SMS
        self.respond(self.fritz, "cancel")
        # The operator marks Dora (she replied in the messenger) with a double-click.
        dora_row = campaign.list_id.line_ids.filtered(lambda r: r.partner_id == self.dora)
        dora_row.with_user(self.operator).action_reminder_toggle_handled()

        colours = self.colours(campaign.list_id)
        self.assertEqual(
            colours,
            {
                self.anna: "green",
                self.boris: "orange",
                self.clara: "blue",
                self.dora: "pink",
                self.emil: "blue",
                self.fritz: "red",
            },
        )
        self.assertEqual(self.visits[self.anna].clinic_state, "confirmed")
        self.assertEqual(self.visits[self.boris].clinic_state, "reschedule")
        self.assertEqual(self.visits[self.fritz].clinic_state, "cancelled")
        needs_call = self.env["clinic.call.list.line"].search(
            [("list_id", "=", campaign.list_id.id), ("reminder_needs_call", "=", True)]
        )
        self.assertEqual(needs_call.partner_id, self.boris | self.clara | self.emil | self.fritz)

        # 19:00: rows still blue get an SMS too; nobody gets a second SMS.
        self.cron(self.today, 19, 1)
        self.assertEqual(len(self.sms.texts_to("+4915100000003")), 1)  # Clara
        self.assertEqual(len(self.sms.texts_to(EMIL)), 1)  # already had the fallback
        self.assertEqual(len(self.sms.texts_to(BORIS)), 1)
        self.assertEqual(len(self.sms.sent), 3)

        # Next morning: the follow-up list holds exactly the unconfirmed.
        self.cron(self.tomorrow, 8, 1)
        followup = campaign.followup_list_id
        self.assertEqual(followup.kind, "followup")
        self.assertEqual(followup.line_ids.partner_id, self.boris | self.clara | self.emil)
        # C7: the comment is mandatory.
        row = followup.line_ids.sorted("sequence")[:1].with_user(self.operator)
        row.action_start_call()
        with self.assertRaises(UserError):
            row.action_finish(self.result_ok.id, "  ")
        row.action_finish(self.result_ok.id, "Answered, will come at 10")
        self.assertEqual(row.state, "done")

        # The report counts the day.
        report = self.env["clinic.reminder.report"].search([("campaign_id", "=", campaign.id)])
        totals = {
            name: sum(report.mapped(name))
            for name in (
                "sent",
                "delivered",
                "confirmed",
                "rescheduled",
                "cancelled",
                "handled_by_phone",
            )
        }
        self.assertEqual(
            totals,
            {
                "sent": 6,
                "delivered": 5,
                "confirmed": 1,
                "rescheduled": 1,
                "cancelled": 1,
                "handled_by_phone": 1,
            },
        )
