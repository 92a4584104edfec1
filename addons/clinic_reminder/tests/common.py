import secrets
from datetime import datetime, time, timedelta

import pytz

from odoo.addons.clinic_base.tests.common import ClinicBaseCommon
from odoo.tests import new_test_user

from ..tools import keys
from ..tools.local_gateway import LocalGateway

TZ = "Europe/Berlin"


class ClinicReminderCommon(ClinicBaseCommon):
    """A clinic in Berlin with a local messenger and SMS gateway and tomorrow's visits."""

    #: E.164 number -> outcome on the local messenger ("deliver", "fail", ...)
    MESSENGER_OUTCOMES = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_id.tz = TZ
        # Tests run at any hour: quiet hours (C13) only where a test sets them.
        cls.company.write({"clinic_reminder_quiet_start": 0.0, "clinic_reminder_quiet_end": 0.0})
        cls.manager = new_test_user(
            cls.env, login="clinic_rem_manager", groups="clinic_base.group_clinic_manager"
        )
        token, secret = secrets.token_hex(8), secrets.token_hex(16)
        # The provider signs its reports with the gateway's delivery-report key (11.3).
        report_key = keys.derive(secret, keys.DELIVERY_REPORTS)
        cls.messenger = LocalGateway(token, report_key, outcomes=cls.MESSENGER_OUTCOMES).start()
        cls.sms = LocalGateway(token, report_key).start()
        cls.addClassCleanup(cls.messenger.stop)
        cls.addClassCleanup(cls.sms.stop)
        Gateway = cls.env["clinic.reminder.gateway"]
        cls.gw_messenger = Gateway.create(
            {
                "name": "Test messenger",
                "code": "test_messenger",
                "kind": "http_json",
                "channel": "messenger",
                "url": cls.messenger.url,
                "api_token": token,
                "webhook_secret": secret,
                "window_hours": 24,
            }
        )
        cls.gw_sms = Gateway.create(
            {
                "name": "Test SMS",
                "code": "test_sms",
                "kind": "http_json",
                "channel": "sms",
                "url": cls.sms.url,
                "api_token": token,
                "webhook_secret": secret,
            }
        )
        cls.company.write(
            {
                "clinic_reminder_messenger_gateway_id": cls.gw_messenger.id,
                "clinic_reminder_sms_gateway_id": cls.gw_sms.id,
            }
        )
        cls.tz = pytz.timezone(TZ)
        cls.today = datetime.now(pytz.utc).astimezone(cls.tz).date()
        cls.tomorrow = cls.today + timedelta(days=1)

    def setUp(self):
        super().setUp()
        self.messenger.reset()
        self.sms.reset()

    @classmethod
    def local_to_utc(cls, day, hour, minute=0):
        local = cls.tz.localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @classmethod
    def make_patient(cls, name, mobile):
        return cls.env["res.partner"].create({"name": name, "is_patient": True, "mobile": mobile})

    @classmethod
    def make_visit(cls, patient, day, hour, minute=0):
        start = cls.local_to_utc(day, hour, minute)
        return cls.env["calendar.event"].create(
            {
                "patient_id": patient.id,
                "practitioner_id": cls.practitioner.id,
                "start": start,
                "stop": start + timedelta(minutes=30),
            }
        )

    @classmethod
    def dispatch(cls):
        """What the outbox dispatcher's cron does (C11), in the test's transaction."""
        return cls.env["clinic.reminder.message"]._cron_dispatch()

    @classmethod
    def make_sent_campaign(cls, patient, hour):
        """Tomorrow's visit of ``patient`` at ``hour`` and the campaign that reminded it."""
        visit = cls.make_visit(patient, cls.tomorrow, hour)
        campaign = cls.env["clinic.reminder.campaign"].create({"date": cls.tomorrow})
        campaign.action_send()
        cls.dispatch()
        return visit, campaign

    def apply_reports(self, gateway_server, gateway):
        """Feed the local gateway's pending delivery reports straight to the model."""
        pending, gateway_server.pending = gateway_server.pending, []
        for _callback, provider_id, _reference, status in pending:
            gateway._process_callback({"id": provider_id, "status": status})
