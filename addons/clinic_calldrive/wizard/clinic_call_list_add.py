from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ClinicCallListAdd(models.TransientModel):
    """ "Add to call list" on a patient selection (C1 ad-hoc lists)."""

    _name = "clinic.call.list.add"
    _description = "Add patients to a call list"

    partner_ids = fields.Many2many("res.partner", string="Patients", required=True)
    list_id = fields.Many2one(
        "clinic.call.list",
        "Existing list",
        domain=[("kind", "=", "adhoc")],
    )
    new_list_name = fields.Char("Or a new list")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and "partner_ids" in fields_list:
            res["partner_ids"] = [(6, 0, self.env.context.get("active_ids") or [])]
        return res

    def action_add(self):
        self.ensure_one()
        call_list = self.list_id
        if not call_list:
            if not self.new_list_name:
                raise UserError(_("Pick a list or name a new one."))
            call_list = self.env["clinic.call.list"].create(
                {"name": self.new_list_name, "kind": "adhoc"}
            )
        call_list._add_partners(self.partner_ids)
        return {
            "type": "ir.actions.act_window",
            "res_model": "clinic.call.list",
            "res_id": call_list.id,
            "view_mode": "form",
        }
