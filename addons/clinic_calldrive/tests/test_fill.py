from datetime import timedelta
from functools import partial

from psycopg2 import IntegrityError, errors

from odoo import SUPERUSER_ID, api, fields
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import CallDriveCommon


@tagged("post_install", "-at_install")
class TestConfirmationList(CallDriveCommon, TransactionCase):
    def test_c1_confirmation_list_is_chronological(self):
        call_list = self._confirmation_list()
        self.assertEqual(call_list.kind, "confirmation")
        self.assertEqual(call_list.date, self.tomorrow)
        self.assertEqual(call_list.line_ids.partner_id, self.boris | self.carl | self.anna)
        self.assertEqual(
            call_list.line_ids.sorted("sequence").event_id,
            self.event_boris | self.event_carl | self.event_anna,
        )
        self.assertEqual(call_list.line_ids.sorted("sequence")[0].phone, self.boris.mobile)
        self.assertEqual(call_list.todo_count, 3)

    def test_c1_rows_call_the_number_clinic_base_picks(self):
        # One rule for the number to reach a patient (clinic_base): a mobile that is
        # no phone number is passed over for the landline.
        ella = self.env["res.partner"].create(
            {"name": "Ella", "is_patient": True, "mobile": "ask at desk", "phone": "030 2345678"}
        )
        self.env["calendar.event"].create(self._appointment(ella, 16))
        call_list = self._confirmation_list()
        self.assertEqual(self._line_of(call_list, ella).phone, "030 2345678")
        adhoc = self.env["clinic.call.list"].create({"name": "Recall", "kind": "adhoc"})
        self.assertEqual(
            adhoc._add_partners(ella | self.anna).mapped("phone"),
            [
                "030 2345678",
                self.anna.mobile,
            ],
        )

    def test_c1_refresh_is_idempotent_and_follows_the_schedule(self):
        call_list = self._confirmation_list()
        self.assertEqual(self._confirmation_list(), call_list)
        self.assertEqual(len(call_list.line_ids), 3)
        self.event_carl.action_clinic_cancel()
        dora = self.env["res.partner"].create({"name": "Dora", "is_patient": True, "phone": "0301"})
        self.env["calendar.event"].create(self._appointment(dora, 8))
        call_list.action_refresh()
        self.assertEqual(self._line_of(call_list, self.carl).state, "cancelled")
        self.assertEqual(call_list.line_ids.sorted("sequence")[0].partner_id, dora)
        self.assertEqual(call_list.todo_count, 3)
        # Booked again: the same row comes back.
        self.event_carl.action_clinic_rebook()
        call_list.action_refresh()
        self.assertEqual(self._line_of(call_list, self.carl).state, "todo")
        self.assertEqual(len(call_list.line_ids), 4)

    def test_c1_daily_cron_builds_tomorrow_once(self):
        List = self.env["clinic.call.list"]
        List._cron_fill_confirmation()
        List._cron_fill_confirmation()
        lists = List.search([("kind", "=", "confirmation"), ("date", "=", self.tomorrow)])
        self.assertEqual(len(lists), 1)
        self.assertEqual(len(lists.line_ids), 3)

    def test_c1_operator_screen_hides_past_confirmation_lists(self):
        List = self.env["clinic.call.list"]
        past = List.create(
            {"name": "Old", "kind": "confirmation", "date": self.tomorrow - timedelta(days=5)}
        )
        current = self._confirmation_list()
        ids = [data["id"] for data in List.with_user(self.operator).operator_lists()]
        self.assertIn(current.id, ids)
        self.assertNotIn(past.id, ids)

    def test_c1_other_days_and_non_patients_left_out(self):
        self.env["calendar.event"].create(
            self._appointment(self.anna, 10, day=self.tomorrow + timedelta(days=1))
        )
        self.env["calendar.event"].create(
            {"name": "Team meeting", "start": self.event_anna.start, "stop": self.event_anna.stop}
        )
        self.assertEqual(len(self._confirmation_list().line_ids), 3)

    def test_c1_confirmed_and_cancelled_appointments_left_out(self):
        self.event_carl.action_clinic_confirm()
        self.event_boris.action_clinic_cancel()
        self.event_anna.action_clinic_request_reschedule()  # still to call: move it
        call_list = self._confirmation_list()
        self.assertEqual(call_list.line_ids.event_id, self.event_anna)

    def test_c1_confirmation_tag_counts_as_confirmed(self):
        tag = self.env["calendar.event.type"].create({"name": "Confirmed by phone"})
        self.env.company.write(
            {"clinic_call_confirm_mode": "tag", "clinic_call_confirm_tag_id": tag.id}
        )
        self.event_carl.categ_ids = tag
        self.assertEqual(
            self._confirmation_list().line_ids.event_id, self.event_anna | self.event_boris
        )

    def test_c1_confirmation_elsewhere_takes_the_row_off_the_list(self):
        call_list = self._confirmation_list()
        anna, carl = self._line_of(call_list, self.anna), self._line_of(call_list, self.carl)
        carl.with_user(self.operator).action_start_call()
        # e.g. the patients answered a reminder link (public page, hence sudo)
        self.event_anna.sudo().action_clinic_confirm()
        self.event_carl.sudo().action_clinic_confirm()
        self.assertEqual(anna.state, "cancelled")
        # Someone is on the phone with Carl: his row stays until they finish.
        self.assertEqual(carl.state, "todo")
        rows = [row["id"] for row in call_list.with_user(self.operator).operator_rows()]
        self.assertNotIn(anna.id, rows)
        # Not confirmed after all: the next refresh brings the row back.
        self.event_anna.action_clinic_rebook()
        call_list.action_refresh()
        self.assertEqual(anna.state, "todo")

    def test_c1_one_confirmation_list_per_company_and_day(self):
        call_list = self._confirmation_list()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            call_list.copy({"name": "Twin"}).flush_recordset()


@tagged("post_install", "-at_install")
class TestConfirmationListRace(TransactionCase):
    """Two workers build the same day's list at once: one list, no error left over."""

    def _drop_lists(self, day):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["clinic.call.list"].search([("date", "=", day)]).unlink()
            # undo the committed fixture
            cr.commit()  # pylint: disable=invalid-commit

    def test_c1_concurrent_creation_yields_one_list(self):
        day = fields.Date.today() + timedelta(days=400)
        self.addCleanup(self._drop_lists, day)
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            List_b = env_b["clinic.call.list"]
            # Worker B has started (its snapshot is taken) and found no list yet ...
            self.assertFalse(List_b.search([("kind", "=", "confirmation"), ("date", "=", day)]))
            # ... when worker A creates the list and commits.
            list_a = env_a["clinic.call.list"]._confirmation_list(day)
            cr_a.commit()  # pylint: disable=invalid-commit
            # B cannot see A's row: PostgreSQL reports a retryable serialization failure ...
            with self.assertRaises(errors.SerializationFailure):
                List_b._confirmation_list(day)
            cr_b.rollback()
            # ... and B's retry, as Odoo's RPC layer runs it, finds A's list.
            with mute_logger("odoo.service.model"):
                list_b = retrying(partial(List_b._confirmation_list, day), env_b)
            self.assertEqual(list_b.id, list_a.id)
            self.assertEqual(
                List_b.search_count([("kind", "=", "confirmation"), ("date", "=", day)]), 1
            )


@tagged("post_install", "-at_install")
class TestAdhocAndTaskLists(CallDriveCommon, TransactionCase):
    def test_c1_add_to_call_list_from_patient_selection(self):
        Wizard = (
            self.env["clinic.call.list.add"]
            .with_user(self.operator)
            .with_context(active_model="res.partner", active_ids=[self.anna.id, self.boris.id])
        )
        wizard = Wizard.create({"new_list_name": "Recall"})
        action = wizard.action_add()
        call_list = self.env["clinic.call.list"].browse(action["res_id"])
        self.assertEqual(call_list.kind, "adhoc")
        self.assertEqual(call_list.line_ids.partner_id, self.anna | self.boris)
        # Adding the same patients again does not duplicate them.
        Wizard.create({"list_id": call_list.id}).action_add()
        self.assertEqual(len(call_list.line_ids), 2)

    def test_c1_task_list_from_activities(self):
        activity = self.anna.activity_schedule(
            "mail.mail_activity_data_call", summary="Lab results", user_id=self.operator.id
        )
        call_list = self.env["clinic.call.list"].create(
            {
                "name": "Call-backs",
                "kind": "task",
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
            }
        )
        call_list.action_refresh()
        call_list.action_refresh()
        self.assertEqual(len(call_list.line_ids), 1)
        self.assertEqual(call_list.line_ids.activity_id, activity)
        self.assertEqual(call_list.line_ids.partner_id, self.anna)
        self.assertEqual(call_list.line_ids.name, "Lab results")
