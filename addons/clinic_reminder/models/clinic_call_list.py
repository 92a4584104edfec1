from odoo import _, fields, models

from ..tools import colour as colour_rules

REMINDER_KINDS = ("reminder", "followup")
NEEDS_CALL_FILTER = "needs_call"
REPLIED_FILTER = "replied"


class ClinicCallList(models.Model):
    _inherit = "clinic.call.list"

    kind = fields.Selection(
        selection_add=[("reminder", "Appointment reminders"), ("followup", "Morning follow-up")],
        ondelete={"reminder": "cascade", "followup": "cascade"},
    )
    clinic_reminder_campaign_id = fields.Many2one(
        "clinic.reminder.campaign", "Reminder campaign", readonly=True, index="btree_not_null"
    )

    def _operator_row_filters(self):
        # C6: reminder lists can be narrowed to the rows that need a call.
        filters = super()._operator_row_filters()
        if self.kind in REMINDER_KINDS:
            filters.append({"name": NEEDS_CALL_FILTER, "label": _("Needs a call")})
            # C12: replies to read, with their count in the list's header.
            filters.append(
                {"name": REPLIED_FILTER, "label": _("Replied"), "count": self._replied_count()}
            )
        return filters

    def _replied_count(self):
        self.ensure_one()
        return self.env["clinic.call.list.line"].search_count(
            [("list_id", "=", self.id), ("reminder_colour", "=", colour_rules.PURPLE)]
        )

    def _operator_rows_domain(self, filters):
        domain = super()._operator_rows_domain(filters)
        if self.kind in REMINDER_KINDS:
            # The server decides, from the stored colour (C6, C12).
            if filters.get(NEEDS_CALL_FILTER):
                domain.append(("reminder_needs_call", "=", True))
            if filters.get(REPLIED_FILTER):
                domain.append(("reminder_colour", "=", colour_rules.PURPLE))
        return domain

    def _comment_required(self, result):
        # C7: the morning follow-up needs a comment (answered? coming?) on every row.
        return super()._comment_required(result) or self.kind == "followup"
