import logging
import uuid
from datetime import timedelta

from odoo import _, api, fields, models

from ..tools import ari, commands

_logger = logging.getLogger(__name__)

STATES = [
    ("sending", "Sending"),
    ("retry", "Waiting to retry"),
    ("done", "Accepted"),
    ("failed", "Failed"),
]
# A hangup is retried (SPEC T12); an originate never is: a retry could ring the patient twice.
MAX_HANGUP_ATTEMPTS = 5
RETRY_BASE = timedelta(seconds=30)
# A command still "sending" after this long lost its worker (crash, restart).
STALE_SENDING = timedelta(minutes=5)


class ClinicPbxCommand(models.Model):
    """A command Odoo sent to a PBX (originate, hangup) and its outcome (T12).

    The outbox of the PBX boundary, as Odoo's mail.mail is for e-mail: the row
    is committed before the PBX hears of the command ("sending"), the PBX is
    called outside any transaction, and the outcome is recorded in a
    transaction of its own. A crash in between leaves a visible "sending" row,
    never a silent or a double call.
    """

    _name = "clinic.pbx.command"
    _description = "Command to a phone system"
    _order = "id desc"
    _rec_name = "command_id"

    pbx_id = fields.Many2one("clinic.pbx", "PBX", required=True, ondelete="cascade", index=True)
    call_id = fields.Many2one(
        "clinic.call", "Call", required=True, ondelete="cascade", index=True, readonly=True
    )
    command = fields.Selection(
        [(commands.ORIGINATE, "Originate"), (commands.HANGUP, "Hang up")],
        required=True,
        readonly=True,
    )
    command_id = fields.Char("Command ID", required=True, readonly=True)
    extension = fields.Char(readonly=True)
    number = fields.Char(readonly=True)
    state = fields.Selection(STATES, required=True, default="sending", index=True, readonly=True)
    attempts = fields.Integer(readonly=True)
    next_try = fields.Datetime("Next try", readonly=True)
    error = fields.Char("Last error", readonly=True)

    _sql_constraints = [
        ("command_id_uniq", "unique (command_id)", "A command is sent once."),
    ]

    @api.model
    def _issue(self, call, command, number=None):
        """Record the intent to send ``command`` for ``call`` (state "sending").

        The caller commits it before :meth:`_send_committed` contacts the PBX.
        """
        return self.create(
            {
                "pbx_id": call.pbx_id.id,
                "call_id": call.id,
                "command": command,
                "command_id": str(uuid.uuid4()),
                "extension": call.phone_id.extension or "",
                "number": number or False,
                "state": "sending",
                "attempts": 1,
            }
        )

    @api.model
    def _send_committed(self, command_ids):
        """Send commands whose intent is committed; record each outcome (T12).

        Never call inside a transaction that writes the commands: the PBX is
        contacted between two transactions of their own. Returns ``{command id:
        CommandError or None}``.
        """
        outcomes = {}
        for command_id in command_ids:
            with self.env.registry.cursor() as cr:
                # sudo: clinic.pbx.command - reads the PBX address and secret to send a
                # command whose rights were checked when it was issued.
                env = self.env(cr=cr, su=True)
                request = env[self._name].browse(command_id)._request()
            error = None
            try:
                _transport(request)
            except commands.CommandError as exc:
                error = exc
            with self.env.registry.cursor() as cr:
                # sudo: clinic.pbx.command - records the PBX's answer to that command.
                # (``env`` is held for the whole block: the cursor flushes its live envs.)
                env = self.env(cr=cr, su=True)
                env[self._name].browse(command_id)._record(error)
            outcomes[command_id] = error
        return outcomes

    def _request(self):
        """Everything the transport needs, as plain data (read in a transaction)."""
        self.ensure_one()
        pbx = self.pbx_id
        call_id = self.call_id.pbx_call_id
        request = {
            "kind": pbx.kind,
            "command": self.command,
            "call_id": call_id,
            "url": pbx.command_url,
            "secret": pbx.secret,
            "body": commands.command_body(
                self.command_id,
                self.command,
                call_id,
                self.extension,
                self.number,
            ),
        }
        if pbx.kind == "asterisk_ari":
            request["ari"] = {
                "url": pbx.ari_url,
                "username": pbx.ari_username,
                "password": pbx.ari_password,
                "app": pbx.ari_app,
                "endpoint": pbx._ari_desk_endpoint(self.extension),
                "app_args": ari.originate_args(self.extension, self.number or ""),
            }
        return request

    def _record(self, error):
        """Write the outcome of one sending; a refused originate fails its call."""
        self.ensure_one()
        if error is None:
            self.write({"state": "done", "error": False, "next_try": False})
            return
        message = self._failure_message(error)
        _logger.warning(
            "PBX %s refused %s %s: %s", self.pbx_id.code, self.command, self.command_id, error
        )
        if self.command == commands.HANGUP and self.attempts < MAX_HANGUP_ATTEMPTS:
            self.write(
                {
                    "state": "retry",
                    "error": message,
                    "next_try": fields.Datetime.now() + RETRY_BASE * 2 ** (self.attempts - 1),
                }
            )
            return
        self.write({"state": "failed", "error": message, "next_try": False})
        if self.command == commands.ORIGINATE:
            self.call_id._fail(message)

    @api.model
    def _failure_message(self, error):
        if error.kind == commands.HTTP_STATUS:
            return _("The phone system refused the call (HTTP %(status)s).", status=error.detail)
        if error.kind == commands.NO_ANSWER:
            return _(
                "The phone system did not answer within %(seconds)s seconds.",
                seconds=commands.TIMEOUT,
            )
        if error.kind == commands.REFUSED:
            return _("The phone system refused the call: %(reason)s", reason=error.detail)
        return _("The phone system could not be reached.")

    # --- retries (cron) ---------------------------------------------------------

    @api.model
    def _retry_due(self, limit=50):
        """Send hangups waiting for a retry; settle commands whose worker died.

        A command is claimed by committing its "sending" state before the PBX
        is called, so two cron workers never send it twice at once.
        """
        now = fields.Datetime.now()
        with self.env.registry.cursor() as cr:
            cr.execute(
                """
                UPDATE clinic_pbx_command SET state = 'sending', attempts = attempts + 1,
                       write_date = now() at time zone 'UTC'
                 WHERE id IN (SELECT id FROM clinic_pbx_command
                               WHERE state = 'retry' AND next_try <= %s
                               ORDER BY next_try, id LIMIT %s
                                 FOR UPDATE SKIP LOCKED)
                RETURNING id
                """,
                [now, limit],
            )
            due = [row[0] for row in cr.fetchall()]
            # A worker died between "sending" and its outcome: a hangup may be sent
            # again, an originate is never resent (its call is closed by the T14 sweep).
            cr.execute(
                """
                UPDATE clinic_pbx_command
                   SET state = CASE command WHEN 'hangup' THEN 'retry' ELSE 'failed' END,
                       next_try = CASE command WHEN 'hangup' THEN %s END,
                       error = %s, write_date = now() at time zone 'UTC'
                 WHERE id IN (SELECT id FROM clinic_pbx_command
                               WHERE state = 'sending' AND write_date < %s
                                 FOR UPDATE SKIP LOCKED)
                """,
                [now, _("Odoo stopped before the phone system answered."), now - STALE_SENDING],
            )
        self._send_committed(due)
        return due


def _transport(request):
    """Deliver one command to the PBX (no ORM, no transaction); raises CommandError."""
    if request["kind"] == "asterisk_ari":
        conf = request["ari"]
        rest = ari.AriRest(conf["url"], conf["username"], conf["password"])
        if request["command"] == commands.ORIGINATE:
            rest.originate(
                endpoint=conf["endpoint"],
                app=conf["app"],
                channel_id=request["call_id"],
                app_args=conf["app_args"],
                caller_id=request["body"].get("number"),
            )
        else:
            rest.hangup(request["call_id"])
        return
    if not request["url"]:
        raise commands.CommandError(commands.UNREACHABLE, "no command URL configured")
    commands.post(request["url"], request["secret"], request["body"])
