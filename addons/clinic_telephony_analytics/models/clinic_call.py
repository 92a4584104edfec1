from psycopg2 import errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import conversion as conv
from ..tools import tags as tag_rules

CONVERSIONS = [(conv.YES, "Yes"), (conv.NO, "No"), (conv.NOT_APPLICABLE, "—")]
# call field -> its copy on the call's tag lines (see clinic.call.tag.line)
TAG_LINE_COPIES = {
    "start_date": "call_date",
    "user_id": "user_id",
    "call_type": "call_type",
    "company_id": "company_id",
}


class ClinicCall(models.Model):
    _inherit = "clinic.call"

    appointment_ids = fields.One2many(
        "calendar.event",
        "clinic_call_id",
        "Appointments booked",
        domain=[("patient_id", "!=", False)],
    )
    has_booking = fields.Boolean(
        "Booked",
        compute="_compute_conversion",
        store=True,
        help="At least one appointment was booked from this call (T7).",
    )
    conversion = fields.Selection(
        CONVERSIONS,
        compute="_compute_conversion",
        store=True,
        index=True,
        help="Yes: the call led to a booking; No: it did not; —: missed call.",
    )
    tag_line_ids = fields.One2many("clinic.call.tag.line", "call_id", "Tags set")
    tags_display = fields.Char("Tags", compute="_compute_tags_display")

    @api.depends("appointment_ids", "appointment_ids.patient_id", "call_type")
    def _compute_conversion(self):
        for call in self:
            call.has_booking = bool(call.appointment_ids)
            call.conversion = conv.conversion_value(call.call_type, call.has_booking)

    def _write_ingested(self, vals):
        """Write the conversion with the call type, in the ingestion's own statement (P6).

        A PBX event does not change the call's bookings: with the stored
        ``has_booking`` the database picks one of the two values
        ``conversion_value`` gives for the new call type, and the ORM does not
        recompute the fields (three more statements and a flush per event).
        Nothing is pending then: ``clinic.call.event._claim`` flushed everything
        before the event, tag lines created earlier in the transaction included, so
        the trigger that copies the call onto its lines finds them in the table.
        """
        call_type = vals.get("call_type")
        if call_type:
            vals["has_booking"] = SQL("COALESCE(has_booking, FALSE)")
            vals["conversion"] = SQL(
                "CASE WHEN has_booking THEN %s ELSE %s END",
                conv.conversion_value(call_type, True),
                conv.conversion_value(call_type, False),
            )
        res = super()._write_ingested(vals)
        for fname in ("has_booking", "conversion"):
            self.env.remove_to_compute(self._fields[fname], self)
        self._tag_lines_followed(vals)
        return res

    def write(self, vals):
        res = super().write(vals)
        if self._tag_lines_followed(vals):
            # the trigger runs with the UPDATE: flush it (after the pending lines) before
            # anything reads the lines
            self.env["clinic.call.tag.line"].flush_model()
            self.flush_recordset(list(TAG_LINE_COPIES))
        return res

    def _tag_lines_followed(self, fnames):
        """Forget the copies the cache holds on tag lines when ``fnames`` change one of
        them (the call type through the fields it depends on); return whether they do.

        The database trigger clinic_call_tag_line_follow updates the lines.
        """
        sources = set(TAG_LINE_COPIES).union(self.pool.field_depends[self._fields["call_type"]])
        if sources.isdisjoint(fnames):
            return False
        self.env["clinic.call.tag.line"].invalidate_model(list(TAG_LINE_COPIES.values()))
        return True

    @api.depends("tag_line_ids")
    def _compute_tags_display(self):
        other = _("Other tag")
        for call in self:
            call.tags_display = tag_rules.grouped_display(
                [(line.group_name, line.tag_name, line.comment) for line in call.tag_line_ids],
                other,
            )

    @api.model
    def _live_call(self, user):
        """The call ``user`` is talking on right now, if any (T7 b, c)."""
        # sudo: clinic.call - only the current user's own live call is looked up, to link
        # the booking they are making; nothing about it is returned to the client here.
        return self.sudo().search(
            [("user_id", "=", user.id), ("state", "=", "talking")],
            order="answer_date desc, id desc",
            limit=1,
        )

    # --- Call tags (T9) -------------------------------------------------------

    def _tag_settings(self):
        """(enabled, mode) of call tags in the call's company (T9)."""
        # sudo: res.company - two non-secret switches every operator's popup needs
        company = self.sudo().company_id or self.env.company
        return company.clinic_call_tags, company.clinic_call_tag_mode

    def _own_call(self):
        """The call (sudo) if the current user handled it, else AccessError."""
        call = self._own()
        if call.user_id != self.env.user:
            raise AccessError(_("Only the administrator who handled a call can tag it."))
        return call

    def tag_prompt(self):
        """Data for the post-call tag popup, or ``False`` when none is due (T9)."""
        call = self._own()
        enabled, mode = call._tag_settings()
        # Only the administrator who answered or dialled is asked, not the phone's next holder.
        if call.user_id != self.env.user:
            return False
        if call.state not in ("ended", "failed") or not tag_rules.should_ask(
            enabled,
            mode,
            answered=bool(call.answer_date),
            has_booking=call.has_booking,
            already_tagged=bool(call.tag_line_ids),
        ):
            return False
        groups = self.env["clinic.call.tag.group"].search([("tag_ids", "!=", False)])
        return {
            "call_id": call.id,
            "number": call.number_display or "",
            "groups": [
                {
                    "id": group.id,
                    "name": group.name,
                    "tags": [{"id": tag.id, "name": tag.name} for tag in group.tag_ids],
                }
                for group in groups
            ],
        }

    def _tag_rule_message(self, rule):
        return {
            "already_tagged": _(
                "Tags have already been saved for this call; they cannot be changed."
            ),
            "empty_other": _("Describe the other reason in the comment."),
            "nothing_chosen": _("Choose at least one tag before saving."),
        }[rule]

    def save_tags(self, tag_ids, other_comment=None):
        """Save the popup's choice once; tags set on a call are final (T9)."""
        self.ensure_one()
        call = self._own_call()
        enabled, _mode = call._tag_settings()
        if not enabled:
            raise UserError(_("Call tags are switched off."))
        try:
            # Two tabs saving at once: the second waits for nothing and is refused.
            self.env.cr.execute(
                "SELECT id FROM clinic_call WHERE id = %s FOR UPDATE NOWAIT", [call.id]
            )
        except errors.LockNotAvailable as exc:
            raise UserError(_("These tags are being saved from another window.")) from exc
        call.invalidate_recordset(["tag_line_ids"])
        tags = self.env["clinic.call.tag"].browse(tag_ids or []).exists()
        try:
            comment = tag_rules.check_selection(tags.ids, other_comment, bool(call.tag_line_ids))
        except tag_rules.TagRuleError as exc:
            raise UserError(self._tag_rule_message(str(exc))) from exc
        vals_list = [
            {
                "call_id": call.id,
                "tag_id": tag.id,
                "group_id": tag.group_id.id,
                "tag_name": tag.name,
                "group_name": tag.group_id.name,
            }
            for tag in tags
        ]
        if comment:
            vals_list.append(
                {
                    "call_id": call.id,
                    "is_other": True,
                    "tag_name": _("Other tag"),
                    "comment": comment,
                }
            )
        # sudo: clinic.call.tag.line - lines are only ever created here, after the checks
        # above (own call, tags on, nothing saved yet); nobody may write them directly.
        self.env["clinic.call.tag.line"].sudo().create(vals_list)
        return True

    def _timeline_details(self):
        # X2: the patient's timeline shows the call's tags and whether it led to a booking
        details = super()._timeline_details()
        labels = dict(self._fields["conversion"]._description_selection(self.env))
        for call in self:
            if call.tags_display:
                details[call.id].append(_("Tags: %s", call.tags_display))
            if call.conversion != conv.NOT_APPLICABLE:
                details[call.id].append(_("Booked: %s", labels[call.conversion]))
        return details
