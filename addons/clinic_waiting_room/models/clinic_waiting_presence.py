from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import waiting_state as ws


class ClinicWaitingPresence(models.AbstractModel):
    """Whether the patient is actually there (W11), their check-in with consent and
    device test (W12), and the opening hours they arrive in (W13), for
    ``clinic.waiting.entry``.

    The patient page's guest reports its presence on the bus like any Odoo page;
    ``bus_presence.py`` hands each change to :meth:`_on_guest_presence`.
    """

    _name = "clinic.waiting.presence"
    _description = "Waiting-room presence and check-in"

    presence = fields.Selection(
        [(ws.INVITED, "Not arrived yet"), (ws.HERE, "Page open"), (ws.LEFT, "Left")],
        default=ws.INVITED,
        required=True,
        readonly=True,
        copy=False,
        help="Whether the patient's waiting-room page is open.",
    )
    arrival_dt = fields.Datetime(
        "Arrived",
        readonly=True,
        copy=False,
        help="When the patient first opened their page after checking in: the waiting "
        "time counts from here.",
    )
    left_dt = fields.Datetime("Left at", readonly=True, copy=False)
    checkin_dt = fields.Datetime("Checked in", readonly=True, copy=False)
    consent_text = fields.Text(
        "Consent given", readonly=True, copy=False, help="The text the patient accepted."
    )
    device_status = fields.Selection(
        [
            (ws.DEVICE_READY, "Device ready"),
            (ws.DEVICE_NO_CAMERA, "No camera"),
            (ws.DEVICE_NO_MICROPHONE, "No microphone"),
            (ws.DEVICE_CAMERA_BLOCKED, "Camera blocked"),
            (ws.DEVICE_MICROPHONE_BLOCKED, "Microphone blocked"),
            (ws.DEVICE_SKIPPED, "Device test skipped"),
        ],
        "Camera and microphone",
        readonly=True,
        copy=False,
    )

    # presence (W11) -------------------------------------------------------------

    @api.model
    def _on_guest_presence(self, guests, online):
        """The pages of ``guests`` opened (``online``) or closed."""
        if not guests:
            return
        # sudo: clinic.waiting.entry - the visits of guests whose own page opened or
        # closed; only their presence changes
        entries = self.sudo().search([("guest_id", "in", guests.ids), ("state", "!=", ws.FINISHED)])
        entries._apply_presence(online)

    def _apply_presence(self, online):
        now = fields.Datetime.now()
        for entry in self:
            if entry._is_expired():
                continue
            # W12: a patient arrives once checked in; W13: not while the room is closed
            if online and (not entry.checkin_dt or entry._closed_to_patient(now)):
                continue
            away = now - entry.left_dt if entry.left_dt else None
            presence, alert = ws.presence_change(entry.presence, online, away)
            if presence == entry.presence:
                continue
            vals = {"presence": presence}
            if alert == ws.ARRIVED:
                vals["arrival_dt"] = now
            if presence == ws.LEFT:
                vals["left_dt"] = now
            # sudo: clinic.waiting.entry - presence is set from the bus only (11.1)
            entry.sudo().write(vals)
            entry._notify_staff(alert=alert)
            # a page still open hears it "left" (a reload's old socket closing last)
            # and reports itself again
            entry._notify_patient()

    def _patient_page_closed(self):
        """The patient page says it is going away (``pagehide``): the guest is offline,
        as when its websocket closes. Another page of theirs still open hears that it
        "left" and reports itself again."""
        self.ensure_one()
        # sudo: bus.presence - the visit's own guest, reached through its link token
        presence = self.env["bus.presence"].sudo().search([("guest_id", "=", self.guest_id.id)])
        presence.status = "offline"

    def _closed_to_patient(self, now):
        """W13: outside opening hours a patient who has not arrived yet finds the
        room closed; whoever is already in keeps their place."""
        self.ensure_one()
        return (
            self.presence == ws.INVITED
            and self.state == ws.WAITING
            and not self.room_id._is_open(now)
        )

    # check-in (W12) -------------------------------------------------------------

    def _consent_to_show(self):
        """The room's consent text in the patient's language ("" when none)."""
        self.ensure_one()
        room = self.room_id.with_context(lang=self.patient_id.lang or self.env.lang)
        return room.consent_text or ""

    def _patient_checkin(self, name_confirmed, consent_accepted):
        """The patient confirmed their name and accepted the room's consent text."""
        self.ensure_one()
        if self.state == ws.FINISHED:
            raise UserError(_("This visit is over."))
        if name_confirmed is not True:
            raise UserError(_("Please confirm your name."))
        consent = self._consent_to_show()
        if consent and consent_accepted is not True:
            raise UserError(_("Please accept the conditions to enter the waiting room."))
        if not self.checkin_dt:
            # sudo: clinic.waiting.entry - check-in is recorded here only (11.1)
            self.sudo().write({"checkin_dt": fields.Datetime.now(), "consent_text": consent})
        # a page whose websocket was already open arrives now
        if self.guest_id.sudo().im_status in ("online", "away"):
            self._apply_presence(True)
        return True

    def _patient_device_result(self, result):
        """W12: the outcome of the patient's camera and microphone test, for staff."""
        self.ensure_one()
        if result not in ws.DEVICE_RESULTS:
            raise UserError(_("Unknown device test result."))
        if not self.checkin_dt:
            raise UserError(_("Please check in first."))
        # sudo: clinic.waiting.entry - the test result is recorded here only (11.1)
        self.sudo().device_status = result
        self._notify_staff()
        return True
