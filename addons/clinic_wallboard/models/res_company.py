from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _clinic_wallboard_changed(self, panel):
        """Push ``panel`` again to the open boards of these companies (X1), once per
        transaction and company however many changes it holds, just before the
        commit, so boards see what was committed and nothing of a rollback."""
        super()._clinic_wallboard_changed(panel)
        if not self:
            return
        cr = self.env.cr
        changes = cr.precommit.data.get("clinic_wallboard.changes")
        if changes is None:
            changes = cr.precommit.data["clinic_wallboard.changes"] = {}
            env = self.env

            @cr.precommit.add
            def push():
                env["clinic.wallboard"]._push(cr.precommit.data.pop("clinic_wallboard.changes"))

        for company in self:
            changes.setdefault(company.id, set()).add(panel)
