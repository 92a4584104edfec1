import threading
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.addons.bus.tests.common import WebsocketCase
from odoo.addons.clinic_telephony.tests.test_tours import TelephonyTourCase
from odoo.addons.clinic_telephony.tools import events as ev
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AnalyticsCommon


@tagged("post_install", "-at_install")
class TestTagPopupTour(AnalyticsCommon, WebsocketCase):
    """Own class: its transaction, hence the bus notification's date, starts fresh.
    The popup comes over the bus, hence a websocket test case.

    A browser connecting for the first time is sent the notifications of the
    last 50 seconds, dated with the (class-long) test transaction's clock.
    """

    def test_t9_tour_tag_popup(self):
        """The popup cannot be closed without a tag; "Other tag" takes a comment."""
        self.set_tag_settings(mode="no_booking")
        self.env["clinic.call.tag.group"].create(
            {
                "name": "Why no booking",
                "tag_ids": [
                    (0, 0, {"name": "Price"}),
                    (0, 0, {"name": "No free slot"}),
                ],
            }
        )
        olga = new_test_user(
            self.env,
            login="tour_olga",
            password="tour_olga",
            name="Tour Olga",
            groups="clinic_base.group_clinic_operator",
        )
        olga.write(
            {
                "clinic_telephony_allowed": True,
                "clinic_shift_choice_date": fields.Date.context_today(olga),
            }
        )
        self.env["clinic.telephony.phone"].create(
            {"name": "Desk", "extension": "301", "pbx_id": self.pbx.id, "user_id": olga.id}
        )
        call = self.make_call(
            olga, "incoming", datetime.now() - timedelta(minutes=2), talk=60, state="talking"
        )
        # The call ends; clinic_telephony tells Olga's browser over the bus. A browser
        # connecting right after still receives it (recent notifications are replayed).
        call.write({"state": "ended", "end_date": datetime.now()})
        call._notify()
        self.env.cr.flush()
        self.start_tour("/odoo", "clinic_call_tag_popup_tour", login="tour_olga")
        call.invalidate_recordset()
        self.assertEqual(call.tags_display, "Why no booking: Price; Other tag: Asked about parking")


@tagged("post_install", "-at_install")
class TestEffectivenessReportTour(AnalyticsCommon, HttpCase):
    def test_t8_tour_effectiveness_report(self):
        olga = new_test_user(
            self.env,
            login="tour_admin_olga",
            name="Tour Admin Olga",
            groups="clinic_base.group_clinic_operator",
        )
        manager = new_test_user(
            self.env,
            login="tour_manager",
            password="tour_manager",
            groups="clinic_base.group_clinic_manager",
        )
        self.assertTrue(manager.has_group("clinic_telephony.group_call_history"))
        now = datetime.now().replace(microsecond=0)
        start = max(now.replace(day=1, hour=0, minute=0, second=0), now - timedelta(hours=1))
        booked = self.make_call(olga, "incoming", start, talk=60)
        self.make_call(olga, "incoming", start, talk=120)
        self.book(booked, olga)
        self.start_tour("/odoo", "clinic_effectiveness_report_tour", login="tour_manager")


@tagged("post_install", "-at_install")
class TestManagerSettingsTour(AnalyticsCommon, HttpCase):
    def test_t9_t10_manager_pauses_and_enables_tags_in_clinic_settings(self):
        """Issue 17: the clinic manager, who is not Odoo's administrator, opens Clinic
        settings, pauses telephony and switches call tags on."""
        sabine = new_test_user(
            self.env,
            login="anl_sabine",
            name="Sabine Head",
            groups="clinic_base.group_clinic_manager",
        )
        self.assertFalse(sabine.has_group("base.group_system"))
        self.start_tour("/odoo", "clinic_manager_settings_tour", login="anl_sabine")
        company = self.env.company
        self.assertTrue(company.clinic_telephony_paused)
        self.assertEqual(company.clinic_telephony_paused_by_id, sabine)
        self.assertEqual((company.clinic_call_tags, company.clinic_call_tag_mode), (True, "always"))


@tagged("post_install", "-at_install")
class TestTagPopupAfterBookingFormTours(TelephonyTourCase):
    """T7 (c) with T9: hang-up while the booking form opened during the call is on screen.

    The call ends (pushed from Python) once the form has its defaults, i.e. while it
    is open; the popup must wait for that form to be saved or left.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"clinic_call_tags": True, "clinic_call_tag_mode": "no_booking"})
        cls.env["clinic.call.tag.group"].create(
            {"name": "Why no booking", "tag_ids": [(0, 0, {"name": "Price"})]}
        )

    def _hang_up_while_booking(self, call_id, tour):
        self._start_shift(self.irina, self.desk1)
        number = "+49 30 1234567"
        self._ingest(
            self.env,
            self._event(call_id, ev.RINGING, number),
            self._event(call_id, ev.ANSWERED, number, delay=1),
        )
        form_opened = threading.Event()
        Event = type(self.env["calendar.event"])
        onchange = Event.onchange

        def watch_onchange(model, *args, **kwargs):
            result = onchange(model, *args, **kwargs)
            if model.env.context.get("default_clinic_call_id"):
                form_opened.set()
            return result

        with patch.object(Event, "onchange", watch_onchange):
            self._run_tour(
                tour,
                "tel_irina",
                pushers=[
                    (
                        lambda env: form_opened.is_set(),
                        lambda env: self._ingest(
                            env, self._event(call_id, ev.ENDED, number, delay=30)
                        ),
                    )
                ],
            )
        return self.env["clinic.call"].search([("pbx_call_id", "=", call_id)])

    def test_t9_no_popup_when_form_saved_after_hang_up(self):
        call = self._hang_up_while_booking("in-tag-saved", "clinic_call_tag_booking_saved_tour")
        self.assertEqual(call.state, "ended")
        self.assertEqual(call.conversion, "yes")
        self.assertFalse(call.tag_line_ids)

    def test_t9_popup_once_form_discarded(self):
        call = self._hang_up_while_booking("in-tag-left", "clinic_call_tag_booking_left_tour")
        self.assertEqual(call.conversion, "no")
        self.assertEqual(call.tags_display, "Why no booking: Price")
