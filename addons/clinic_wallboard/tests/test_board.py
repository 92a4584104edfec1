"""X1: the board's panels, who may see them, and their live pushes."""

import json
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file, mute_logger

from ..models import clinic_wallboard as wallboard_model
from ..models.clinic_wallboard import GROUP, SUBCHANNEL, ClinicWallboard
from .common import WallboardCommon


@tagged("post_install", "-at_install")
class TestBoardPanels(WallboardCommon, TransactionCase):
    def board(self, user=None):
        return self.env["clinic.wallboard"].with_user(user or self.board_user).get_board()

    def test_x1_phone_ringing_then_in_call_since_when(self):
        self.ingest(self.env, "wb-1", "call.ringing")
        phones = {p["extension"]: p for p in self.board()["panels"]["phones"]}
        self.assertEqual(phones["101"]["state"], "ringing")
        self.assertEqual(phones["101"]["caller"], "Anna S.")
        self.assertEqual(phones["101"]["holder"], self.operator.name)
        self.assertTrue(phones["101"]["since"])
        self.assertEqual(phones["102"]["state"], "idle")
        self.ingest(self.env, "wb-1", "call.answered")
        phones = {p["extension"]: p for p in self.board()["panels"]["phones"]}
        self.assertEqual(phones["101"]["state"], "talking")

    def test_x1_a_ring_group_call_rings_at_each_of_its_phones(self):
        self.env["clinic.call"].create(
            {
                "pbx_id": self.pbx.id,
                "pbx_call_id": "wb-rg",
                "direction": "inbound",
                "start_date": fields.Datetime.now(),
                "state": "ringing",
                "phone_id": self.desk1.id,
                "ring_phone_ids": [(6, 0, self.desk2.ids)],
                "partner_id": self.anna.id,
            }
        )
        phones = self.board()["panels"]["phones"]
        self.assertEqual([(p["state"], p["caller"]) for p in phones], [("ringing", "Anna S.")] * 2)

    def test_x1_today_calls_missed_percent_and_conversion(self):
        self.ingest(self.env, "wb-1", "call.ringing", "call.answered", "call.ended")
        self.ingest(self.env, "wb-2", "call.ringing", "call.ended", number="030 999888")
        today = self.board()["panels"]["today"]
        self.assertEqual((today["calls"], today["missed"], today["missed_percent"]), (2, 1, 50))
        self.assertEqual(today["conversion_percent"], 0)
        call = self.env["clinic.call"].search([("pbx_call_id", "=", "wb-1")])
        self.env["calendar.event"].create(
            {
                "name": "Booked",
                "patient_id": self.anna.id,
                "start": "2030-01-01 09:00:00",
                "stop": "2030-01-01 09:30:00",
                "clinic_call_id": call.id,
            }
        )
        self.assertEqual(self.board()["panels"]["today"]["conversion_percent"], 50)

    def test_t16_missed_calls_with_deadlines_or_today_without_the_list(self):
        self.ingest(self.env, "wb-3", "call.ringing", "call.ended", number="030 999888")
        missed = self.board()["panels"]["missed"]
        self.assertEqual(missed["count"], 1)
        self.assertEqual(missed["rows"][0]["name"], "••• 9888")
        self.assertTrue(missed["rows"][0]["deadline"])
        # Without clinic_calldrive_telephony's list: today's missed calls, no deadline.
        original = ClinicWallboard._env_of

        def without_list(wallboard, model, company):
            return None if model == "clinic.missed.call" else original(wallboard, model, company)

        with patch.object(ClinicWallboard, "_env_of", without_list):
            missed = self.board()["panels"]["missed"]
        self.assertEqual(missed["count"], 1)
        self.assertFalse(missed["rows"][0]["deadline"])
        self.assertTrue(missed["rows"][0]["missed_at"])

    def test_w11_rooms_show_patients_really_there_with_wait_colours(self):
        Entry = self.env["clinic.waiting.entry"]
        here = Entry.create({"patient_id": self.anna.id, "room_id": self.room.id})
        Entry.create({"patient_id": self.boris.id, "room_id": self.room.id})  # not arrived
        self.arrive(here)
        rooms = {room["name"]: room for room in self.board()["panels"]["rooms"]}
        patients = rooms["Hall"]["patients"]
        self.assertEqual([p["name"] for p in patients], ["Anna S."])
        self.assertEqual(patients[0]["status"], "waiting")
        self.assertEqual(len(patients[0]["levels"]), 2)  # threshold 10 min: at 10 and 20

    def test_c6_tomorrows_reminder_colours_as_counts(self):
        visits = self.tomorrow_visit(self.anna) | self.tomorrow_visit(self.boris, 11)
        self.reminder_list(visits)
        visits[0].sudo()._clinic_reminder_respond("confirm")
        reminders = self.board()["panels"]["reminders"]
        self.assertEqual(reminders["colours"], {"green": 1, "grey": 1})
        self.assertEqual(
            (reminders["confirmed"], reminders["to_call"], reminders["cancelled"]), (1, 1, 0)
        )
        self.assertEqual(self.board()["reminder_colours"]["green"], "Confirmed by the patient")

    def test_x1_panels_of_addons_not_installed_are_absent(self):
        original = ClinicWallboard._env_of

        def waiting_room_only(wallboard, model, company):
            if model.startswith("clinic.waiting"):
                return original(wallboard, model, company)
            return None

        with patch.object(ClinicWallboard, "_env_of", waiting_room_only):
            panels = self.board()["panels"]
        self.assertEqual(set(panels), {"rooms"})


@tagged("post_install", "-at_install")
class TestBoardAccess(WallboardCommon, TransactionCase):
    def test_x1_only_the_wallboard_group_opens_the_board(self):
        for user in (self.operator, self.plain_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["clinic.wallboard"].with_user(user).get_board()

    def test_x1_wallboard_user_reads_no_record_behind_the_board(self):
        self.ingest(self.env, "wb-1", "call.ringing", "call.ended")
        for model in (
            "clinic.call",
            "clinic.missed.call",
            "clinic.waiting.entry",
            "clinic.call.list.line",
            "clinic.telephony.phone",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.board_user).search([])

    def test_x1_board_shows_short_names_counts_and_times_only(self):
        self.ingest(self.env, "wb-1", "call.ringing")
        self.ingest(self.env, "wb-2", "call.ringing", "call.ended", number="030 999888")
        entry = self.env["clinic.waiting.entry"].create(
            {"patient_id": self.boris.id, "room_id": self.room.id}
        )
        self.arrive(entry)
        text = json.dumps(self.env["clinic.wallboard"].with_user(self.board_user).get_board())
        self.assertIn("Anna S.", text)
        self.assertIn("Boris I.", text)
        for secret in ("Schmidt", "Ivanov", "1234567", "030 999888", "999888", "1980-02-03"):
            self.assertNotIn(secret, text)

    def test_r6_other_clinic_never_on_the_board(self):
        pbx_b = self.env["clinic.pbx"].create(
            {
                "name": "PBX B",
                "code": "wbpbxb",
                "kind": "webhook",
                "secret": "b",
                "company_id": self.company_b.id,
            }
        )
        self.env["clinic.telephony.phone"].create(
            {
                "name": "Desk B",
                "extension": "201",
                "pbx_id": pbx_b.id,
                "company_id": self.company_b.id,
            }
        )
        room_b = self.env["clinic.waiting.room"].create(
            {"name": "Hall B", "company_id": self.company_b.id}
        )
        self.arrive(
            self.env["clinic.waiting.entry"].create(
                {"patient_id": self.patient_b.id, "room_id": room_b.id}
            )
        )
        self.ingest(self.env, "wb-1", "call.ringing", "call.ended")
        board_a = self.env["clinic.wallboard"].with_user(self.board_user).get_board()
        board_b = self.env["clinic.wallboard"].with_user(self.board_user_b).get_board()
        self.assertEqual([p["name"] for p in board_a["panels"]["phones"]], ["Desk 1", "Desk 2"])
        self.assertEqual([p["name"] for p in board_b["panels"]["phones"]], ["Desk B"])
        self.assertNotIn("Hall B", [room["name"] for room in board_a["panels"]["rooms"]])
        rooms_b = board_b["panels"]["rooms"]
        self.assertEqual([p["name"] for p in rooms_b[0]["patients"]], ["Berta B."])
        self.assertEqual(board_b["panels"]["today"]["calls"], 0)
        self.assertEqual(board_b["panels"]["missed"]["count"], 0)

    def test_x1_board_channel_only_for_the_group_and_its_companies(self):
        Websocket = self.env["ir.websocket"]
        names = [f"res.company_{self.company_a.id}", f"res.company_{self.company_b.id}"]

        def channels(user):
            return Websocket.with_user(user)._clinic_record_channels(
                list(names), "res.company", group=GROUP, subchannel=SUBCHANNEL
            )

        self.assertEqual(channels(self.board_user), [(self.company_a, SUBCHANNEL)])
        self.assertEqual(channels(self.board_user_b), [(self.company_b, SUBCHANNEL)])
        self.assertEqual(channels(self.operator), [])


@tagged("post_install", "-at_install")
class TestBoardPushes(WallboardCommon, TransactionCase):
    def channel(self, company):
        return [self.env.cr.dbname, "res.company", company.id, SUBCHANNEL]

    def read_changed(self, payload, user=None):
        """What a board of the push's clinic reads again after the push."""
        wallboard = self.env["clinic.wallboard"].with_user(user or self.board_user)
        company = self.env["res.company"].browse(payload["company_id"])
        answer = wallboard.with_company(company).get_panels(payload["changed"])
        self.assertEqual(answer["company_id"], company.id)
        return answer["panels"]

    def test_p8_call_events_of_one_transaction_push_once(self):
        self.ingest(self.env, "wb-1", "call.ringing", "call.answered")
        pushes = self.pushed()
        self.assertEqual(len(pushes), 1)
        channel, payload = pushes[0]
        self.assertEqual(channel, self.channel(self.company_a))
        # the missed-call list did not change: its panel is not read again
        self.assertEqual(set(payload["changed"]), {"phones", "today"})
        desk1 = self.read_changed(payload)["phones"][0]
        self.assertEqual((desk1["extension"], desk1["state"]), ("101", "talking"))

    def test_t16_a_missed_call_pushes_the_call_back_list(self):
        self.ingest(self.env, "wb-2", "call.ringing", "call.ended", number="030 999888")
        ((__, payload),) = self.pushed()
        self.assertEqual(set(payload["changed"]), {"phones", "today", "missed"})
        panels = self.read_changed(payload)
        self.assertEqual(panels["missed"]["rows"][0]["name"], "••• 9888")
        self.assertEqual(panels["today"]["missed"], 1)

    def test_p8_arrival_pushes_the_rooms(self):
        entry = self.env["clinic.waiting.entry"].create(
            {"patient_id": self.anna.id, "room_id": self.room.id}
        )
        self.pushed()
        self.arrive(entry)
        pushes = self.pushed()
        self.assertEqual(len(pushes), 1)
        self.assertEqual(pushes[0][1]["changed"], ["rooms"])
        rooms = self.read_changed(pushes[0][1])["rooms"]
        self.assertEqual([p["name"] for p in rooms[-1]["patients"]], ["Anna S."])

    def test_p8_reminder_answer_pushes_the_counts(self):
        visit = self.tomorrow_visit(self.anna)
        self.reminder_list(visit)
        self.pushed()
        visit.sudo()._clinic_reminder_respond("cancel")
        pushes = self.pushed()
        self.assertEqual(len(pushes), 1)
        self.assertEqual(pushes[0][1]["changed"], ["reminders"])
        self.assertEqual(self.read_changed(pushes[0][1])["reminders"]["cancelled"], 1)

    def test_p2_a_busy_line_is_noticed_once_per_quiet_time(self):
        self.addCleanup(wallboard_model._last_notice.clear)
        self.ingest(self.env, "wb-q1", "call.ringing")
        self.assertEqual(len(self.pushed()), 1)
        self.env.cr.postcommit.run()  # the notice is sent: its time is stamped
        # the next event comes sooner than a board reads: that read covers it
        self.ingest(self.env, "wb-q2", "call.ringing")
        self.assertEqual(self.pushed(), [])
        # a panel not in the last notice is noticed at once
        self.ingest(self.env, "wb-q3", "call.ringing", "call.ended", number="030 999777")
        ((__, payload),) = self.pushed()
        self.assertEqual(payload["changed"], ["missed"])
        # once the quiet time is over, the phones are noticed again
        for key, at in wallboard_model._last_notice.items():
            wallboard_model._last_notice[key] = at - wallboard_model.QUIET
        self.ingest(self.env, "wb-q4", "call.ringing")
        ((__, payload),) = self.pushed()
        self.assertEqual(set(payload["changed"]), {"phones", "today"})

    def test_p2_a_rolled_back_notice_covers_nothing(self):
        self.addCleanup(wallboard_model._last_notice.clear)
        self.ingest(self.env, "wb-r1", "call.ringing")
        self.assertEqual(len(self.pushed()), 1)
        self.env.cr.postcommit.clear()  # what a rollback does
        self.ingest(self.env, "wb-r2", "call.ringing")
        self.assertEqual(len(self.pushed()), 1)

    def test_x1_reading_panels_needs_the_group_and_known_names(self):
        with self.assertRaises(AccessError):
            self.env["clinic.wallboard"].with_user(self.operator).get_panels(["phones"])
        with self.assertRaises(UserError):
            self.env["clinic.wallboard"].with_user(self.board_user).get_panels(["patients"])

    def test_r6_pushes_stay_on_their_clinic_channel(self):
        room_b = self.env["clinic.waiting.room"].create(
            {"name": "Hall B", "company_id": self.company_b.id}
        )
        entry = self.env["clinic.waiting.entry"].create(
            {"patient_id": self.patient_b.id, "room_id": room_b.id}
        )
        self.pushed()
        self.arrive(entry)
        pushes = self.pushed()
        self.assertEqual([channel for channel, __ in pushes], [self.channel(self.company_b)])

    @mute_logger("odoo.addons.clinic_wallboard.models.clinic_wallboard")
    def test_x1_a_failing_board_never_loses_the_change(self):
        def broken(wallboard, company):
            raise RuntimeError("board bug")

        with patch.object(ClinicWallboard, "_panel_phones", broken):
            self.ingest(self.env, "wb-9", "call.ringing")
            ((__, payload),) = self.pushed()
            # the board still gets the panels that work
            self.assertEqual(set(self.read_changed(payload)), {"today"})
        self.assertEqual(
            self.env["clinic.call"].search([("pbx_call_id", "=", "wb-9")]).state, "ringing"
        )


@tagged("post_install", "-at_install")
class TestBoardDemo(TransactionCase):
    def test_x1_demo_tv_account_opens_the_board_only(self):
        for path in get_manifest("clinic_wallboard")["demo"]:
            convert_file(self.env, "clinic_wallboard", path, {}, mode="init", kind="demo")
        tv = self.env.ref("clinic_wallboard.user_wallboard_tv")
        self.assertEqual(
            tv.action_id.id, self.env.ref("clinic_wallboard.action_clinic_wallboard").id
        )
        self.assertTrue(self.env["clinic.wallboard"].with_user(tv).get_board()["panels"])
        self.assertFalse(tv.has_group("clinic_base.group_clinic_operator"))
