"""Issue 17 in the browser: a clinic manager pauses from the bottom control; the shift
question never covers another app (T1, T10)."""

import json
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .test_tours import CLINIC_APP, TelephonyTourCase


class ManagerTourCase(TelephonyTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Head of front desk: clinic manager, not linked to telephony, no Odoo admin right.
        cls.sabine = new_test_user(
            cls.env,
            login="tel_sabine",
            name="Sabine Head",
            groups="clinic_base.group_clinic_manager",
        )

    def paused_messages(self, user):
        """The ``clinic_telephony/paused`` payloads written on the bus for ``user``."""
        rows = self.env["bus.bus"].sudo().search([("message", "like", "clinic_telephony/paused")])
        channel = [self.env.cr.dbname, "res.partner", user.partner_id.id]
        return [
            json.loads(row.message)["payload"]
            for row in rows.sorted("id")
            if json.loads(row.channel) == channel
        ]


@tagged("post_install", "-at_install")
class TestManagerPauseTours(ManagerTourCase):
    def test_t10_manager_pauses_and_resumes_from_the_bottom_control(self):
        """The manager's control pauses the whole clinic after confirmation, shows who
        paused, resumes; each change is sent to every operator's screen (T10)."""
        self.assertFalse(self.sabine.has_group("base.group_system"))
        self._start_shift(self.irina, self.desk1)
        self.start_tour(
            CLINIC_APP,
            "clinic_telephony_manager_pause_tour",
            login="tel_sabine",
        )
        self.assertEqual(self.paused_messages(self.irina), [{"paused": True}, {"paused": False}])
        self.assertEqual(self.paused_messages(self.jonas), [{"paused": True}, {"paused": False}])
        self.assertFalse(self.env.company.clinic_telephony_paused)

    def test_t10_pause_by_a_manager_reaches_another_operator_live(self):
        """Irina's screen is open when the manager pauses: her control turns paused at
        once and says who paused (T10)."""

        def sabine_pauses(env):
            env["res.users"].with_user(self.sabine.id).clinic_telephony_set_paused(True)
            self._wake_websockets(env)

        self._run_tour(
            "clinic_telephony_paused_by_manager_live_tour",
            "tel_irina",
            url=CLINIC_APP,
            pushers=[(self._holds(self.irina, self.desk1), sabine_pauses)],
        )
        self.assertEqual(self.env.company.clinic_telephony_paused_by_id, self.sabine)


@tagged("post_install", "-at_install")
class TestShiftQuestionTours(ManagerTourCase):
    def test_t1_calendar_first_works_before_the_shift_question(self):
        """An operator who opens Calendar first is not stopped by the shift question:
        she opens and creates events, then answers from the bottom control (issue 17)."""
        self.assertNotEqual(self.irina.clinic_shift_choice_date, fields.Date.today())
        start = datetime.combine(fields.Date.today(), time(9, 0))
        self.env["calendar.event"].create(
            {
                "name": "Team meeting",
                "start": start,
                "stop": start + timedelta(hours=3),
                "user_id": self.irina.id,
                "partner_ids": [(6, 0, self.irina.partner_id.ids)],
            }
        )
        calendar = self.env.ref("calendar.action_calendar_event")
        self.start_tour(
            f"/odoo/action-{calendar.id}", "clinic_telephony_calendar_first_tour", login="tel_irina"
        )
        self.assertTrue(self.env["calendar.event"].search([("name", "=", "Supplier call")]))
        self.assertEqual(self.desk1.user_id, self.irina)
