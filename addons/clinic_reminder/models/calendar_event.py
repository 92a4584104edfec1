import secrets

import pytz

from odoo import api, fields, models
from odoo.addons.clinic_base.tools import appointment_state as st
from odoo.addons.clinic_base.tools.public_input import usable_key
from odoo.tools.misc import format_datetime, get_lang

RESPONSES = [("confirm", "Confirm"), ("reschedule", "Reschedule"), ("cancel", "Cancel")]
RESPONSE_STATE = {"confirm": st.CONFIRMED, "reschedule": st.RESCHEDULE, "cancel": st.CANCELLED}
# R3: 32 random bytes (256 bits), URL-safe.
TOKEN_BYTES = 32
# Placeholders of the "Appointment notification" template (C5). Declared safe,
# they render by plain field access instead of a sandboxed evaluation per
# record and placeholder (P4), and operators who are no template editors may
# use them.
REMINDER_EXPRESSIONS = (
    "object.patient_id.name",
    "object.patient_id.lang",
    "object.practitioner_id.name",
    "object.clinic_reminder_date",
    "object.clinic_reminder_time",
    "object.clinic_reminder_url",
)


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    clinic_reminder_token = fields.Char(
        copy=False, index="btree_not_null", groups="clinic_base.group_clinic_operator"
    )
    clinic_reminder_response = fields.Selection(
        RESPONSES, "Patient's answer", copy=False, readonly=True
    )
    clinic_reminder_response_date = fields.Datetime("Answered on", copy=False, readonly=True)
    clinic_reminder_message_ids = fields.One2many(
        "clinic.reminder.message", "event_id", "Reminder messages"
    )
    clinic_reminder_reply_ids = fields.One2many(
        "clinic.reminder.reply", "event_id", "Patient's replies"
    )
    clinic_reminder_opened_date = fields.Datetime(
        "Link opened on",
        copy=False,
        readonly=True,
        help="When the patient first opened their response page (C6: link opened).",
    )

    clinic_reminder_url = fields.Char(
        "Response link",
        compute="_compute_clinic_reminder_url",
        groups="clinic_base.group_clinic_operator",
    )
    clinic_reminder_date = fields.Char(
        "Reminder date",
        compute="_compute_clinic_reminder_when",
        help="Day of the appointment in the clinic's time zone and the reader's language.",
    )
    clinic_reminder_time = fields.Char(
        "Reminder time",
        compute="_compute_clinic_reminder_when",
        help="Start time of the appointment in the clinic's time zone.",
    )

    @api.model
    def mail_allowed_qweb_expressions(self):
        return super().mail_allowed_qweb_expressions() + REMINDER_EXPRESSIONS

    def _compute_clinic_reminder_url(self):
        base = self.browse().get_base_url()
        for event in self:
            token = event.clinic_reminder_token
            event.clinic_reminder_url = token and f"{base}/clinic/r/{token}"

    @api.depends("start")
    @api.depends_context("lang", "company")
    def _compute_clinic_reminder_when(self):
        """Date and time as the template states them (C5), computed for a whole batch."""
        tz = pytz.timezone(self.env.company._clinic_tz())
        date_format = get_lang(self.env).date_format
        for event in self:
            if not event.start:
                event.clinic_reminder_date = event.clinic_reminder_time = False
                continue
            local = pytz.utc.localize(event.start).astimezone(tz)
            event.clinic_reminder_date = local.strftime(date_format)
            event.clinic_reminder_time = local.strftime("%H:%M")

    def _clinic_reminder_ensure_token(self):
        """Give each appointment without one its response token (R3)."""
        # sudo: calendar.event - only checks which appointments lack a token
        missing = self.sudo().filtered(lambda e: not e.clinic_reminder_token)
        if not missing:
            return
        missing.flush_recordset(["clinic_reminder_token"])
        # One UPDATE for the whole campaign: calendar.event.write() does attendee
        # and recurrence work per record that a technical column does not need.
        self.env.cr.execute(
            """UPDATE calendar_event e SET clinic_reminder_token = v.token
                 FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::varchar[]) AS token) v
                WHERE e.id = v.id AND e.clinic_reminder_token IS NULL""",
            [missing.ids, [secrets.token_urlsafe(TOKEN_BYTES) for _ in missing]],
        )
        missing.invalidate_recordset(["clinic_reminder_token", "clinic_reminder_url"])

    @api.model
    def _clinic_reminder_find(self, token):
        """The appointment behind a response token, or an empty recordset (R3).

        Only a well-formed token of an appointment that still lies ahead
        matches; anything else looks the same to the caller.
        """
        if not usable_key(token, max_length=64) or len(token) < 20:
            return self.browse()
        # sudo: calendar.event - exact match on a >= 128-bit secret token from the link
        event = self.sudo().search([("clinic_reminder_token", "=", token)], limit=1)
        if (
            not event
            or not event.patient_id
            or event.stop <= fields.Datetime.now()
            or event.clinic_state not in st.OPEN_STATES + (st.CANCELLED,)
        ):
            return self.browse()
        return event

    def _clinic_reminder_respond(self, response):
        """Apply the patient's choice from the response page (C8)."""
        self.ensure_one()
        if response not in RESPONSE_STATE:
            raise ValueError(response)
        # Two clicks at once: the second waits and then sees the first's answer.
        self.env.cr.execute("SELECT id FROM calendar_event WHERE id = %s FOR UPDATE", [self.id])
        self.invalidate_recordset(["clinic_reminder_response", "clinic_state"])
        if self.clinic_reminder_response == response:
            return False
        self._clinic_set_state(RESPONSE_STATE[response])
        self.write(
            {
                "clinic_reminder_response": response,
                "clinic_reminder_response_date": fields.Datetime.now(),
            }
        )
        self._clinic_reminder_notify_rows()
        return True

    def _clinic_reminder_notify_rows(self):
        lines = self.env["clinic.call.list.line"].search(
            [("event_id", "in", self.ids), ("list_id.kind", "in", ("reminder", "followup"))]
        )
        lines._reminder_notify()

    def _clinic_reminder_mark_opened(self):
        """The patient opened their link (C6): the row shows it, the first time only."""
        self.ensure_one()
        if self.clinic_reminder_opened_date:
            return False
        self.clinic_reminder_opened_date = fields.Datetime.now()
        self._clinic_reminder_notify_rows()
        return True

    def _clinic_reminder_page_values(self, token):
        """What the response page shows: this appointment only, as plain strings (R3)."""
        self.ensure_one()
        tz = self.env.company._clinic_tz()
        lang = self.patient_id.lang
        # C9: a patient the messenger cannot reach yet may start the bot's chat.
        if not self.patient_id.clinic_telegram_chat_id:
            self.patient_id._clinic_telegram_ensure_link()
        return {
            "token": token,
            "patient_name": self.patient_id.name,
            "practitioner_name": self.practitioner_id.name or "",
            "when": format_datetime(
                self.env, self.start, tz=tz, dt_format="medium", lang_code=lang
            ),
            "response": self.clinic_reminder_response,
            "state": self.clinic_state,
            "lang": lang,
            # C9: a patient the messenger cannot reach yet may start the bot's chat.
            "telegram_url": not self.patient_id.clinic_telegram_chat_id
            and self.patient_id.clinic_telegram_link_url,
        }
