import base64
import io

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ClinicCallEffectivenessExport(models.TransientModel):
    """PDF and XLSX of the administrator effectiveness report (T8)."""

    _name = "clinic.call.effectiveness.export"
    _description = "Export the administrator effectiveness report"

    date_from = fields.Date(
        "From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(
        "To",
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) + relativedelta(months=1, days=-1)
        ),
    )
    user_ids = fields.Many2many(
        "res.users", string="Administrators", help="Leave empty for everyone."
    )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise ValidationError(_("The period ends before it starts."))

    def _rows(self):
        """Figures per administrator over the chosen days (both inclusive)."""
        self.ensure_one()
        return self.env["clinic.call.effectiveness.report"]._effectiveness_rows(
            self.date_from, self.date_to, self.user_ids
        )

    def _columns(self):
        return [
            ("calls", _("Calls")),
            ("booked", _("Calls with a booking")),
            ("conversion", _("Conversion (%)")),
            ("talk", _("Talk time")),
            ("avg_talk", _("Average talk time")),
            ("missed", _("Missed")),
            ("missed_rate", _("Missed (%)")),
            ("unanswered", _("Outgoing unanswered")),
            ("unanswered_rate", _("Outgoing unanswered (%)")),
            ("called_back", _("Missed calls called back")),
            ("called_back_rate", _("Missed calls called back (%)")),
            ("median_callback", _("Median time to call back")),
        ]

    @api.model
    def _format_duration(self, seconds):
        hours, rest = divmod(int(seconds), 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"

    def _report_table(self):
        """Header and body rows as plain values, shared by PDF and XLSX."""
        header = [_("Administrator")] + [label for __, label in self._columns()]
        body = [
            [
                row["user"].name or _("Unknown"),
                row["call_count"],
                row["booked_count"],
                row["conversion_rate"],
                self._format_duration(row["talk_seconds"]),
                self._format_duration(row["avg_talk_seconds"]),
                row["missed_count"],
                row["missed_rate"],
                row["unanswered_count"],
                row["unanswered_rate"],
                row["called_back_count"],
                row["called_back_rate"],
                self._format_duration(row["median_callback_seconds"])
                if row["median_callback_seconds"] is not None
                else "",
            ]
            for row in self._rows()
        ]
        return header, body

    def action_export_pdf(self):
        return self.env.ref(
            "clinic_telephony_analytics.action_report_call_effectiveness"
        ).report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._xlsx_filename(),
                "datas": base64.b64encode(self._xlsx_content()),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def _xlsx_filename(self):
        return _(
            "administrator-effectiveness-%(start)s-%(end)s.xlsx",
            start=self.date_from,
            end=self.date_to,
        )

    def _xlsx_content(self):
        header, body = self._report_table()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Effectiveness"))
        bold = workbook.add_format({"bold": True})
        sheet.write_row(
            0, 0, [_("Administrator effectiveness"), f"{self.date_from} – {self.date_to}"], bold
        )
        sheet.write_row(2, 0, header, bold)
        for index, values in enumerate(body, start=3):
            sheet.write_row(index, 0, values)
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, len(header) - 1, 14)
        workbook.close()
        return output.getvalue()
