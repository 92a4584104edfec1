from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import colour as colour_rules
from .clinic_call_list import REMINDER_KINDS
from .clinic_reminder_reply import INTENTS

COLOURS = [
    (colour_rules.GREY, "Not sent to a messenger"),
    (colour_rules.BLUE, "Delivered, link not opened"),
    (colour_rules.CYAN, "Link opened, no choice"),
    (colour_rules.PURPLE, "Replied: to read"),
    (colour_rules.GREEN, "Confirmed by the patient"),
    (colour_rules.ORANGE, "Reschedule requested"),
    (colour_rules.RED, "Cancelled by the patient"),
    (colour_rules.PINK, "Handled by hand"),
]
COLOUR_NOTIFICATION = "clinic_reminder/colour"


class ClinicCallListLine(models.Model):
    _inherit = "clinic.call.list.line"

    reminder_handled = fields.Boolean(
        "Handled by hand", copy=False, help="Marked by a double-click (pink, C5)."
    )
    reminder_colour = fields.Selection(
        COLOURS, "Status colour", compute="_compute_reminder_colour", store=True, index=True
    )
    reminder_needs_call = fields.Boolean(
        compute="_compute_reminder_colour", store=True, string="Needs a call"
    )
    reminder_reply_id = fields.Many2one(
        "clinic.reminder.reply", "Reply to read", compute="_compute_reminder_reply"
    )
    reminder_reply_text = fields.Text("Reply", compute="_compute_reminder_reply")
    reminder_reply_intent = fields.Selection(
        INTENTS, "Suggested answer", compute="_compute_reminder_reply"
    )

    @api.depends(
        "event_id.clinic_reminder_message_ids.state",
        "event_id.clinic_reminder_response",
        "event_id.clinic_reminder_reply_ids.state",
        "event_id.clinic_reminder_opened_date",
        "reminder_handled",
    )
    def _compute_reminder_colour(self):
        # One grouped query for the whole batch: a campaign recomputes thousands of rows (P4).
        messenger_states = defaultdict(list)
        events = self.event_id._origin
        replied = set()
        if events:
            groups = self.env["clinic.reminder.message"]._read_group(
                [("event_id", "in", events.ids), ("channel", "=", "messenger")],
                ["event_id", "state"],
            )
            for event, state in groups:
                messenger_states[event.id].append(state)
            # sudo: clinic.reminder.reply - only whether a reply waits, for the colour
            replied = {
                event.id
                for (event,) in self.env["clinic.reminder.reply"]
                .sudo()
                ._read_group([("event_id", "in", events.ids), ("state", "=", "new")], ["event_id"])
            }
        for line in self:
            event = line.event_id._origin
            colour = colour_rules.decide(
                messenger_states[event.id],
                line.event_id.clinic_reminder_response,
                line.reminder_handled,
                replied=event.id in replied,
                opened=bool(line.event_id.clinic_reminder_opened_date),
            )
            line.reminder_colour = colour
            line.reminder_needs_call = colour in colour_rules.NEEDS_CALL

    @api.depends("event_id.clinic_reminder_reply_ids.state")
    def _compute_reminder_reply(self):
        Reply = self.env["clinic.reminder.reply"]
        for line in self:
            reply = Reply.search(
                [("event_id", "=", line.event_id.id), ("state", "=", "new")], limit=1
            )
            line.reminder_reply_id = reply
            line.reminder_reply_text = reply.text
            line.reminder_reply_intent = reply.intent

    def _reminder_reply(self):
        self.ensure_one()
        if not self.reminder_reply_id:
            raise UserError(_("No reply of this patient waits to be read."))
        return self.reminder_reply_id

    def action_reminder_reply_confirm(self):
        """Row button: confirm the appointment as the patient's reply says (C12)."""
        return self._reminder_reply().action_confirm_appointment()

    def action_reminder_reply_cancel(self):
        """Row button: cancel the appointment as the patient's reply says (C12)."""
        return self._reminder_reply().action_cancel_appointment()

    def action_reminder_reply_read(self):
        """Row button: the reply was read, nothing to apply (C12)."""
        return self._reminder_reply().action_mark_read()

    def action_reminder_toggle_handled(self):
        """Double-click on a row: mark it handled by hand (pink), again to unmark.

        Returns the rows' colour payload (see :meth:`_reminder_payload`)
        for the screen that asked; the other operators hear it over the bus.
        """
        self.check_access("write")
        if any(line.list_kind not in REMINDER_KINDS for line in self):
            raise UserError(_("Only reminder rows can be marked as handled."))
        self.list_id.ensure_one()
        for line in self:
            # sudo: clinic.call.list.line - the mark is protected from direct writes;
            # the user may write these rows (checked above)
            line.sudo().reminder_handled = not line.reminder_handled
        self._reminder_notify()
        return self._reminder_payload()

    def _reminder_payload(self):
        """Colours of these rows of one list, as the operator screens get them (C6, C12).

        Ids and colours only: the screen reloads what it may read. ``needs_call``
        and ``replied`` (the rows among them each filter keeps) keep the screen's
        filters right; ``replied_count`` is the list's count of replies to read.
        """
        return {
            "list_id": self.list_id.id,
            "lines": [[line.id, line.reminder_colour] for line in self],
            "needs_call": self.filtered("reminder_needs_call").ids,
            "replied": self.filtered(lambda line: line.reminder_colour == colour_rules.PURPLE).ids,
            "replied_count": self.list_id._replied_count(),
        }

    def _reminder_notify(self):
        """Tell the list's operators the new colour of the rows (C6, live)."""
        lines = self.filtered(lambda line: line.list_kind in REMINDER_KINDS)
        lines.company_id._clinic_wallboard_changed("reminders")
        for call_list in lines.list_id:
            rows = lines.filtered(lambda line, cl=call_list: line.list_id == cl)
            call_list._bus_send(COLOUR_NOTIFICATION, rows._reminder_payload())

    @api.model
    def _protected_fields(self):
        # The pink mark changes with its action, which tells the other operators.
        return super()._protected_fields() | {"reminder_handled"}

    def _row_data(self):
        # The operator screen colours reminder rows (C6).
        data = super()._row_data()
        if self.list_kind in REMINDER_KINDS:
            data["reminder_colour"] = self.reminder_colour
        return data

    # ------------------------------------------------------------------
    # Results of reminder and follow-up calls (C15)
    # ------------------------------------------------------------------

    def _on_result_reschedule(self):
        """The patient asked for another date: the visit waits to be moved (C15)."""
        if self.event_id:
            self.event_id.action_clinic_request_reschedule()

    def _on_result_cancel(self):
        """The patient will not come: the visit is cancelled (C15)."""
        if self.event_id:
            self.event_id.action_clinic_cancel()
