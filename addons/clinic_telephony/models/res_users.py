from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError


class ResUsers(models.Model):
    """Telephony side of a user: linked or not, which phone this shift (T1, T5, T10)."""

    _inherit = "res.users"

    clinic_telephony_allowed = fields.Boolean(
        "Linked to telephony",
        help="Linked users choose a phone each shift, get call cards and may place calls.",
    )
    clinic_phone_ids = fields.One2many("clinic.telephony.phone", "user_id", "Held phones")
    clinic_phone_id = fields.Many2one(
        "clinic.telephony.phone", "Phone this shift", compute="_compute_clinic_phone_id"
    )
    clinic_shift_choice_date = fields.Date(
        "Shift choice made on",
        help="Day the user last answered the shift dialog (a phone or 'not working with "
        "telephony now').",
    )

    @api.depends("clinic_phone_ids")
    def _compute_clinic_phone_id(self):
        for user in self:
            user.clinic_phone_id = user.clinic_phone_ids[:1]

    def write(self, vals):
        res = super().write(vals)
        if vals.get("clinic_telephony_allowed") is False:
            # An unlinked user leaves their phone free for colleagues.
            # sudo: clinic.telephony.phone - releases phones of users just unlinked by an admin.
            phones = self.env["clinic.telephony.phone"].sudo().search([("user_id", "in", self.ids)])
            phones.write({"user_id": False, "holder_since": False})
        return res

    @api.model
    def _clinic_telephony_paused(self, company=None):
        """Whether telephony is paused for ``company`` (default: the current one, T10)."""
        return self._clinic_paused_company((company or self.env.company).id)

    @api.model
    @tools.ormcache("company_id")
    def _clinic_paused_company(self, company_id):
        # Cached per worker: every call card asks; res.company.write clears it.
        # sudo: res.company - reads one boolean flag of the company.
        return self.env["res.company"].sudo().browse(company_id).clinic_telephony_paused

    @api.model
    def clinic_telephony_set_paused(self, paused):
        """Pause or resume telephony for the current company (T10, clinic managers only).

        Called by the telephony control at the bottom of the screen and by the
        clinic settings. Records who paused and when, and tells at once every
        user who sees the company's telephony control (linked users and
        managers, bus ``clinic_telephony/paused``).
        """
        if not self.env.user.has_group("clinic_base.group_clinic_manager"):
            raise AccessError(_("Only a clinic manager can pause telephony."))
        paused = bool(paused)
        company = self.env.company
        if paused == self._clinic_telephony_paused(company):
            return True
        # sudo: res.company - the manager right was checked above; the pause of their company.
        company.sudo().write(
            {
                "clinic_telephony_paused": paused,
                "clinic_telephony_paused_by_id": paused and self.env.uid,
                "clinic_telephony_paused_date": paused and fields.Datetime.now(),
            }
        )
        manager_group = self.env.ref("clinic_base.group_clinic_manager")
        # sudo: res.users - lists who sees the company's telephony control, to tell them;
        # nothing is returned.
        audience = self.sudo().search(
            [
                ("company_ids", "in", company.id),
                "|",
                ("clinic_telephony_allowed", "=", True),
                ("groups_id", "in", manager_group.id),
            ]
        )
        audience.partner_id._bus_send("clinic_telephony/paused", {"paused": paused})
        return True

    @api.model
    def clinic_telephony_session_info(self):
        """Everything the web client needs to set up telephony for the current user.

        Returns ``{enabled, paused, paused_by, paused_since, can_pause,
        needs_shift_choice, single_phone, phone, phones, active_calls}``;
        ``paused_by`` is the name of who paused (T10), ``can_pause`` whether the
        user may pause and resume; ``phone`` is ``{id, name, extension}`` or False, each of
        ``phones`` adds ``holder`` ``{id, name}`` or False, ``active_calls`` are card
        payloads (see ``clinic.call._card_payload``) of the user's ringing and
        talking calls.
        """
        user = self.env.user
        paused = self._clinic_telephony_paused()
        # sudo: clinic.telephony.phone - phone names and holders' names for the shift dialog.
        phones = (
            self.env["clinic.telephony.phone"]
            .sudo()
            .search([("company_id", "=", self.env.company.id), ("pbx_id.active", "=", True)])
        )
        own = user.sudo().clinic_phone_id  # sudo: res.users - the user's own phone
        calls = self.env["clinic.call"]
        if user.clinic_telephony_allowed and own and not paused:
            # sudo: clinic.call - only ringing/talking calls on the user's own phone.
            calls = calls.sudo().search(
                [
                    ("state", "in", ("ringing", "talking")),
                    "|",
                    "|",
                    ("user_id", "=", user.id),
                    ("phone_id", "=", own.id),
                    "&",
                    ("state", "=", "ringing"),
                    ("ring_phone_ids", "in", own.ids),
                ],
                order="start_date",
            )
        # sudo: res.company - who paused the user's own company, and when (T10).
        company = self.env.company.sudo()
        return {
            "enabled": user.clinic_telephony_allowed,
            "paused": paused,
            "paused_by": paused and company.clinic_telephony_paused_by_id.name,
            "paused_since": paused
            and fields.Datetime.to_string(company.clinic_telephony_paused_date),
            "can_pause": user.has_group("clinic_base.group_clinic_manager"),
            "needs_shift_choice": user.clinic_telephony_allowed
            and user.clinic_shift_choice_date != fields.Date.context_today(user),
            "single_phone": len(phones) == 1,
            "phone": own._summary() if own else False,
            "phones": [
                dict(
                    phone._summary(),
                    holder={"id": phone.user_id.id, "name": phone.user_id.name}
                    if phone.user_id
                    else False,
                )
                for phone in phones
            ],
            "active_calls": [call._card_payload() for call in calls],
        }

    @api.model
    def clinic_telephony_set_phone(self, phone_id, force=False):
        """Work at ``phone_id`` this shift, or at no phone when False (T1).

        Returns ``{"status": "ok"}``, or ``{"status": "occupied", "holder": name}``
        when another user holds the phone and ``force`` is not set. With ``force``
        the phone is taken over and its previous holder notified
        (bus ``clinic_telephony/phone_taken`` ``{phone, by}``). Either way the
        answer counts as today's shift choice.
        """
        user = self.env.user
        if phone_id and not user.clinic_telephony_allowed:
            raise AccessError(_("You are not linked to telephony."))
        # sudo: clinic.telephony.phone - users pick their own desk phone; the rows are
        # locked so that two users racing for one phone cannot both get it.
        Phone = self.env["clinic.telephony.phone"].sudo()
        phone = Phone.browse(phone_id).exists() if phone_id else Phone
        if phone_id and not phone:
            raise AccessError(_("This phone does not exist any more."))
        if phone and phone.company_id not in user.company_ids:
            # The next call to it would show another company's patient (R6).
            raise AccessError(_("This phone belongs to a company you do not work for."))
        if phone:
            self.env.cr.execute(
                "SELECT id FROM clinic_telephony_phone WHERE id = %s FOR UPDATE", [phone.id]
            )
            phone.invalidate_recordset(["user_id"])
            previous = phone.user_id
            if previous and previous != user and not force:
                return {"status": "occupied", "holder": previous.name}
        else:
            previous = self.browse()
        current = Phone.search([("user_id", "=", user.id)])
        if current != phone:
            current.write({"user_id": False, "holder_since": False})
            current.flush_recordset()  # free the user's unique slot before taking the new phone
            if phone:
                phone.write({"user_id": user.id, "holder_since": fields.Datetime.now()})
        if previous and previous != user:
            previous.partner_id._bus_send(
                "clinic_telephony/phone_taken", {"phone": phone.name, "by": user.name}
            )
        # sudo: res.users - a user records their own daily answer.
        user.sudo().clinic_shift_choice_date = fields.Date.context_today(user)
        return {"status": "ok"}
