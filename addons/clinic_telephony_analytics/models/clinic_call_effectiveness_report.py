from odoo import api, fields, models

from ..tools.conversion import percent

# Measures read by the export; the pivot reads the same columns.
SUM_MEASURES = (
    "call_count",
    "booked_count",
    "inbound_count",
    "outbound_count",
    "answered_count",
    "talk_time",
    "missed_count",
    "unanswered_count",
)


class ClinicCallEffectivenessReport(models.Model):
    """Administrator effectiveness (T8): one row per finished call of a bound user.

    Counts are 0/1 columns summed by the pivot; rates are 100/0 columns
    averaged by it, NULL where a call does not belong to the base of the
    rate, so that ``avg`` gives exactly:

    * conversion % = calls with a booking / all calls (missed included) x 100;
    * missed % = missed / incoming calls x 100;
    * unanswered % = outgoing unanswered / outgoing calls x 100;
    * average talk time over answered calls only.

    A missed call counts for ``user_id`` of the call, which clinic_telephony
    sets to the holder of the phone that rang at that moment (T1: 1 admin =
    1 login = 1 phone). The query is a plain projection of ``clinic_call``
    (float8 arithmetic, no numeric), so PostgreSQL applies the period filter
    on ``clinic_call_report_idx`` and aggregates from the index alone (P3).
    """

    _name = "clinic.call.effectiveness.report"
    _description = "Administrator effectiveness"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Datetime("Call date", readonly=True)
    user_id = fields.Many2one("res.users", "Administrator", readonly=True)
    partner_id = fields.Many2one("res.partner", "Patient", readonly=True)
    direction = fields.Selection([("inbound", "Incoming"), ("outbound", "Outgoing")], readonly=True)
    call_type = fields.Selection(
        [
            ("incoming", "Incoming"),
            ("outgoing", "Outgoing"),
            ("missed", "Missed"),
            ("outgoing_unanswered", "Outgoing unanswered"),
        ],
        "Type",
        readonly=True,
    )
    call_count = fields.Integer("Calls", readonly=True)
    booked_count = fields.Integer("Calls with a booking", readonly=True)
    conversion_rate = fields.Float("Conversion (%)", aggregator="avg", readonly=True)
    inbound_count = fields.Integer("Incoming calls", readonly=True)
    outbound_count = fields.Integer("Outgoing calls", readonly=True)
    answered_count = fields.Integer("Answered calls", readonly=True)
    talk_time = fields.Float("Talk time", readonly=True, help="Hours, summed.")
    avg_talk_time = fields.Float(
        "Average talk time", aggregator="avg", readonly=True, help="Over answered calls."
    )
    missed_count = fields.Integer("Missed", readonly=True)
    missed_rate = fields.Float("Missed (%)", aggregator="avg", readonly=True)
    unanswered_count = fields.Integer("Outgoing unanswered", readonly=True)
    unanswered_rate = fields.Float("Outgoing unanswered (%)", aggregator="avg", readonly=True)

    @property
    def _table_query(self):
        # Every read of the report goes through this query: make pending
        # conversions and call changes visible to it first.
        self.env["clinic.call"].flush_model()
        return """
            SELECT c.id AS id,
                   c.start_date AS date,
                   c.user_id AS user_id,
                   c.partner_id AS partner_id,
                   c.direction AS direction,
                   c.call_type AS call_type,
                   1 AS call_count,
                   c.has_booking::int AS booked_count,
                   CASE WHEN c.has_booking THEN 100.0 ELSE 0.0 END::float8 AS conversion_rate,
                   (c.direction = 'inbound')::int AS inbound_count,
                   (c.direction = 'outbound')::int AS outbound_count,
                   (c.answer_date IS NOT NULL)::int AS answered_count,
                   COALESCE(c.talk_duration, 0)::float8 / 3600 AS talk_time,
                   CASE WHEN c.answer_date IS NOT NULL
                        THEN COALESCE(c.talk_duration, 0)::float8 / 3600 END AS avg_talk_time,
                   (c.call_type = 'missed')::int AS missed_count,
                   CASE WHEN c.direction = 'inbound'
                        THEN CASE WHEN c.call_type = 'missed' THEN 100.0 ELSE 0.0 END
                   END::float8 AS missed_rate,
                   (c.call_type = 'outgoing_unanswered')::int AS unanswered_count,
                   CASE WHEN c.direction = 'outbound'
                        THEN CASE WHEN c.call_type = 'outgoing_unanswered'
                                  THEN 100.0 ELSE 0.0 END
                   END::float8 AS unanswered_rate
              FROM clinic_call c
             WHERE c.user_id IS NOT NULL
               AND c.state IN ('ended', 'failed')
        """

    @api.model
    def _effectiveness_rows(self, date_from, date_to, users=None):
        """Figures per administrator for the exports, one aggregated query.

        ``date_from``/``date_to`` are datetimes (UTC, end exclusive). Returns
        dicts with the counts, talk times in seconds and the percentages.
        """
        domain = [("date", ">=", date_from), ("date", "<", date_to)]
        if users:
            domain.append(("user_id", "in", users.ids))
        groups = self._read_group(
            domain, ["user_id"], [f"{name}:sum" for name in SUM_MEASURES], order="user_id"
        )
        rows = []
        for user, *sums in groups:
            row = dict(zip(SUM_MEASURES, sums, strict=True))
            talk_seconds = round(row.pop("talk_time") * 3600)
            rows.append(
                {
                    "user": user,
                    **row,
                    "talk_seconds": talk_seconds,
                    "avg_talk_seconds": round(talk_seconds / row["answered_count"])
                    if row["answered_count"]
                    else 0,
                    "conversion_rate": percent(row["booked_count"], row["call_count"]),
                    "missed_rate": percent(row["missed_count"], row["inbound_count"]),
                    "unanswered_rate": percent(row["unanswered_count"], row["outbound_count"]),
                }
            )
        return rows
