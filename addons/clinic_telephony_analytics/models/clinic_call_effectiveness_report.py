from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

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


# Rates of the pivot: numerator, denominator and factor, computed from the sums of
# the group (an average of per-row rates would weigh a quiet day like a busy one).
RATIOS = {
    "conversion_rate": ("booked_count", "call_count", 100.0),
    "avg_talk_time": ("talk_time", "answered_count", 1.0),
    "missed_rate": ("missed_count", "inbound_count", 100.0),
    "unanswered_rate": ("unanswered_count", "outbound_count", 100.0),
}


class ClinicCallEffectivenessReport(models.Model):
    """Administrator effectiveness (T8), read from ``clinic_call_report_day``.

    The daily table, its functions and triggers are created by the addon's
    ``post_init_hook``, changed by ``migrations/`` and dropped by its
    ``uninstall_hook`` (see ``hooks.py``).

    One row per administrator, local day, direction, call type and booked or
    not, with the number of calls, answered calls and talk seconds. Counts are
    summed by the pivot; the rates are ratios of the group's sums (see
    :data:`RATIOS` and :meth:`_read_group_select`):

    * conversion % = calls with a booking / all calls (missed included) x 100;
    * missed % = missed / incoming calls x 100;
    * unanswered % = outgoing unanswered / outgoing calls x 100;
    * average talk time over answered calls only.

    A missed call counts for ``user_id`` of the call, which clinic_telephony
    sets to the holder of the phone that rang at that moment (T1: 1 admin =
    1 login = 1 phone). The day is the administrator's local day (their time
    zone, UTC when unset), so the "Period" filter follows their calendar. A year
    of 500,000 calls is ~40,000 rows to sum instead of 500,000 (P3).
    """

    _name = "clinic.call.effectiveness.report"
    _description = "Administrator effectiveness"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Date("Call date", readonly=True)
    user_id = fields.Many2one("res.users", "Administrator", readonly=True)
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
    has_booking = fields.Boolean("Booked", readonly=True)
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
        # The triggers run on the calls' SQL writes: make pending ORM changes
        # (conversions, call updates, time zones) reach the table first.
        self.env["clinic.call"].flush_model()
        self.env["res.partner"].flush_model(["tz"])
        return """
            SELECT d.id AS id,
                   d.day AS date,
                   d.user_id AS user_id,
                   NULLIF(d.direction, '') AS direction,
                   NULLIF(d.call_type, '') AS call_type,
                   d.has_booking AS has_booking,
                   d.call_count AS call_count,
                   CASE WHEN d.has_booking THEN d.call_count ELSE 0 END AS booked_count,
                   CASE WHEN d.has_booking THEN 100.0 ELSE 0.0 END::float8 AS conversion_rate,
                   CASE WHEN d.direction = 'inbound' THEN d.call_count ELSE 0 END
                       AS inbound_count,
                   CASE WHEN d.direction = 'outbound' THEN d.call_count ELSE 0 END
                       AS outbound_count,
                   d.answered_count AS answered_count,
                   d.talk_seconds::float8 / 3600 AS talk_time,
                   d.talk_seconds::float8 / 3600 / NULLIF(d.answered_count, 0) AS avg_talk_time,
                   CASE WHEN d.call_type = 'missed' THEN d.call_count ELSE 0 END
                       AS missed_count,
                   CASE WHEN d.direction = 'inbound'
                        THEN CASE WHEN d.call_type = 'missed' THEN 100.0 ELSE 0.0 END
                   END::float8 AS missed_rate,
                   CASE WHEN d.call_type = 'outgoing_unanswered' THEN d.call_count ELSE 0 END
                       AS unanswered_count,
                   CASE WHEN d.direction = 'outbound'
                        THEN CASE WHEN d.call_type = 'outgoing_unanswered'
                                  THEN 100.0 ELSE 0.0 END
                   END::float8 AS unanswered_rate
              FROM clinic_call_report_day d
        """

    def _read_group_select(self, aggregate_spec, query):
        fname, _sep, func = aggregate_spec.partition(":")
        if func != "avg" or fname not in RATIOS:
            return super()._read_group_select(aggregate_spec, query)
        numerator, denominator, factor = RATIOS[fname]
        return SQL(
            "SUM(%s)::float8 * %s / NULLIF(SUM(%s), 0)",
            self._field_to_sql(self._table, numerator, query),
            factor,
            self._field_to_sql(self._table, denominator, query),
        )

    @api.model
    def _effectiveness_rows(self, date_from, date_to, users=None):
        """Figures per administrator for the exports, one aggregated query.

        ``date_from``/``date_to`` are the first and last day (both included, each
        administrator's local days). Returns dicts with the counts, talk times in
        seconds and the percentages.
        """
        domain = [("date", ">=", date_from), ("date", "<=", date_to)]
        if users:
            domain.append(("user_id", "in", users.ids))
        groups = self._read_group(
            domain, ["user_id"], [f"{name}:sum" for name in SUM_MEASURES], order="user_id"
        )
        callbacks = self._callback_figures(date_from, date_to, users)
        rows = []
        for user, *sums in groups:
            row = dict(zip(SUM_MEASURES, sums, strict=True))
            called_back, median = callbacks.get(user.id, (0, None))
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
                    "called_back_count": called_back,
                    "called_back_rate": percent(called_back, row["missed_count"]),
                    "median_callback_seconds": median,
                }
            )
        return rows

    @api.model
    def _callback_figures(self, date_from, date_to, users=None):
        """``{user id: (missed calls called back, median seconds to call back)}`` (T16).

        A missed call is called back when a later call with the same number in the
        same clinic connected, incoming or outgoing; the time is from the end of
        the missed call to that connection. Days are each administrator's local
        days, as for the other figures; calls are those the user may read.
        """
        Call = self.env["clinic.call"]
        domain = [
            ("call_type", "=", "missed"),
            ("user_id", "!=", False),
            ("number_e164", "!=", False),
            ("start_date", ">=", fields.Datetime.to_datetime(date_from) - timedelta(days=1)),
            ("start_date", "<", fields.Datetime.to_datetime(date_to) + timedelta(days=2)),
        ]
        if users:
            domain.append(("user_id", "in", users.ids))
        query = Call._search(domain)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT c.user_id, count(back.at),
                       percentile_cont(0.5) WITHIN GROUP (
                           ORDER BY EXTRACT(EPOCH FROM back.at - c.end_date))
                  FROM clinic_call c
                  JOIN res_users u ON u.id = c.user_id
                  JOIN res_partner p ON p.id = u.partner_id
                  LEFT JOIN LATERAL (
                       SELECT min(n.answer_date) AS at FROM clinic_call n
                        WHERE n.company_id = c.company_id AND n.number_e164 = c.number_e164
                          AND n.answer_date >= c.end_date) back ON true
                 WHERE c.id IN %s
                   AND clinic_call_local_day(c.start_date, p.tz) BETWEEN %s AND %s
                 GROUP BY c.user_id
                """,
                query.subselect(),
                date_from,
                date_to,
            )
        )
        return {
            user_id: (count, round(median) if median is not None else None)
            for user_id, count, median in self.env.cr.fetchall()
        }
