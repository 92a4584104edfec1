from odoo import _, api, fields, models
from odoo.addons.clinic_telephony.models.clinic_call import CALL_TYPES
from odoo.exceptions import UserError


class ClinicCallTagLine(models.Model):
    """A tag set on a call; a permanent record for history and reports (T9).

    Tag and group names are copied here, so deleting a tag or its group
    cannot erase what was set. Lines are created only by
    ``clinic.call.save_tags`` and are never edited nor deleted (they
    go only with their call).
    """

    _name = "clinic.call.tag.line"
    _description = "Tag set on a call"
    _order = "call_id, id"
    _rec_name = "tag_name"

    call_id = fields.Many2one(
        "clinic.call", "Call", required=True, ondelete="cascade", index=True, readonly=True
    )
    tag_id = fields.Many2one("clinic.call.tag", "Tag", ondelete="set null", readonly=True)
    group_id = fields.Many2one(
        "clinic.call.tag.group", "Group", ondelete="set null", index=True, readonly=True
    )
    tag_name = fields.Char("Tag name", required=True, readonly=True)
    group_name = fields.Char("Group name", readonly=True)
    is_other = fields.Boolean("Other tag", readonly=True)
    comment = fields.Text(readonly=True)
    # Copies of the call's columns for the tag report and the record rules. Not ORM
    # related fields: those made every PBX event look for the lines of its call (P6).
    # Filled on creation; the trigger clinic_call_tag_line_follow (hooks.py) carries
    # any later change of the call onto its lines.
    call_date = fields.Datetime("Call date", compute="_compute_call_columns", store=True)
    user_id = fields.Many2one(
        "res.users", "Administrator", compute="_compute_call_columns", store=True, index=True
    )
    call_type = fields.Selection(
        CALL_TYPES,
        "Type",
        compute="_compute_call_columns",
        store=True,
    )
    company_id = fields.Many2one(
        "res.company", "Company", compute="_compute_call_columns", store=True, index=True
    )

    @api.depends("call_id")
    def _compute_call_columns(self):
        for line in self:
            call = line.call_id
            line.call_date = call.start_date
            line.user_id = call.user_id
            line.call_type = call.call_type
            line.company_id = call.company_id

    def write(self, vals):  # pylint: disable=method-required-super
        # Immutable by design (T9): no write reaches the ORM, whoever asks.
        raise UserError(_("Tags set on a call cannot be edited."))

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(_("Tags set on a call cannot be deleted."))

    @api.model
    def _rename_group(self, groups):
        """Carry a group's new name onto the lines already set in it.

        Plain SQL on purpose: lines are immutable through the ORM, and this
        only follows a rename the manager made.
        """
        for group in groups:
            self.env.cr.execute(
                "UPDATE clinic_call_tag_line SET group_name = %s WHERE group_id = %s",
                [group.name, group.id],
            )
        self.invalidate_model(["group_name"])
