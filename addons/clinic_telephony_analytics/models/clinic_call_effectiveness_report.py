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
    "called_back_count",
)


# Rates of the pivot: numerator, denominator and factor, computed from the sums of
# the group (an average of per-row rates would weigh a quiet day like a busy one).
RATIOS = {
    "conversion_rate": ("booked_count", "call_count", 100.0),
    "avg_talk_time": ("talk_time", "answered_count", 1.0),
    "missed_rate": ("missed_count", "inbound_count", 100.0),
    "unanswered_rate": ("unanswered_count", "outbound_count", 100.0),
    "called_back_rate": ("called_back_count", "missed_count", 100.0),
}

# Medians of the group, over the rows that carry a value (one per missed call).
MEDIANS = ("callback_time",)


class ClinicCallEffectivenessReport(models.Model):
    """Administrator effectiveness (T8, T16), read from ``clinic_call_report_day``
    and ``clinic_call_report_callback``.

    The tables, their functions and triggers are created by the addon's
    ``post_init_hook``, changed by ``migrations/`` and dropped by its
    ``uninstall_hook`` (see ``hooks.py``).

    One row per clinic, administrator, local day, direction, call type and booked
    or not, with the number of calls, answered calls and talk seconds; plus one
    row per missed call with the time until its number was reached again (all
    its counts zero but ``called_back_count``). Counts are summed by the pivot;
    the rates are ratios of the group's sums (see :data:`RATIOS` and
    :meth:`_read_group_select`) and the time to call back is the group's median:

    * conversion % = calls with a booking / all calls (missed included) x 100;
    * missed % = missed / incoming calls x 100;
    * unanswered % = outgoing unanswered / outgoing calls x 100;
    * average talk time over answered calls only;
    * called back % = missed calls whose number was connected later / missed x 100.

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
    company_id = fields.Many2one("res.company", "Clinic", readonly=True)
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
    called_back_count = fields.Integer("Missed calls called back", readonly=True)
    called_back_rate = fields.Float("Missed calls called back (%)", aggregator="avg", readonly=True)
    # "avg" is what the pivot asks for; _read_group_select answers with the median
    callback_time = fields.Float(
        "Median time to call back",
        aggregator="avg",
        readonly=True,
        help="Hours from the end of a missed call to the next connection with its number.",
    )

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
                   d.company_id AS company_id,
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
                   END::float8 AS unanswered_rate,
                   0 AS called_back_count,
                   NULL::float8 AS called_back_rate,
                   NULL::float8 AS callback_time
              FROM clinic_call_report_day d
            UNION ALL
            SELECT -b.call_id, b.day, b.user_id, b.company_id, 'inbound', 'missed', false,
                   0, 0, NULL, 0, 0, 0, 0, NULL, 0, NULL, 0, NULL,
                   (b.callback_seconds IS NOT NULL)::int,
                   CASE WHEN b.callback_seconds IS NOT NULL THEN 100.0 ELSE 0.0 END::float8,
                   b.callback_seconds / 3600
              FROM clinic_call_report_callback b
        """

    def _read_group_select(self, aggregate_spec, query):
        fname, _sep, func = aggregate_spec.partition(":")
        if func == "avg" and fname in MEDIANS:
            return SQL(
                "percentile_cont(0.5) WITHIN GROUP (ORDER BY %s)",
                self._field_to_sql(self._table, fname, query),
            )
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
        seconds, the percentages and the median seconds to call back (None when
        no missed call was called back).
        """
        domain = [("date", ">=", date_from), ("date", "<=", date_to)]
        if users:
            domain.append(("user_id", "in", users.ids))
        groups = self._read_group(
            domain,
            ["user_id"],
            [f"{name}:sum" for name in SUM_MEASURES] + ["callback_time:avg"],
            order="user_id",
        )
        rows = []
        for user, *sums, callback_hours in groups:
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
                    "called_back_rate": percent(row["called_back_count"], row["missed_count"]),
                    # the median of no value reads as 0 from _read_group
                    "median_callback_seconds": round(callback_hours * 3600)
                    if row["called_back_count"]
                    else None,
                }
            )
        return rows
