from odoo import _, models
from odoo.tools import html2plaintext


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _clinic_timeline_sources(self):
        """X2: the patient's waiting-room visits and the messages of their conversations."""
        sources = super()._clinic_timeline_sources()
        if self.env["clinic.waiting.entry"].has_access("read"):
            label = _("Waiting room")
            sources += [
                {
                    "channel": "waiting_room",
                    "label": label,
                    "rank": 30,
                    "date_field": "create_date",
                    "fetch": self._clinic_timeline_visits,
                },
                {
                    "channel": "waiting_room",
                    "label": label,
                    "rank": 31,
                    "date_field": "date",
                    "fetch": self._clinic_timeline_visit_messages,
                },
            ]
        return sources

    def _clinic_timeline_visits(self, domain, order, limit):
        Entry = self.env["clinic.waiting.entry"]
        visits = Entry.search([("patient_id", "=", self.id), *domain], order=order, limit=limit)
        statuses = dict(Entry._fields["status"]._description_selection(self.env))
        entries = []
        for visit in visits:
            entries.append(
                {
                    "id": visit.id,
                    "date": visit.create_date,
                    "model": "clinic.waiting.entry",
                    "res_id": visit.id,
                    "title": _("Waiting room: %s", visit.room_id.name),
                    "details": [statuses.get(visit.status, visit.status)],
                }
            )
        return entries

    def _clinic_timeline_visit_messages(self, domain, order, limit):
        # the conversations of the visits the viewer may read, then their messages
        visits = self.env["clinic.waiting.entry"].search(
            [("patient_id", "=", self.id), ("channel_id", "!=", False)]
        )
        visit_of = {visit.channel_id.id: visit for visit in visits}
        if not visit_of:
            return []
        # sudo: mail.message - only the messages of conversations of visits the viewer
        # may read (searched above with their rights), as the notify dialog shows them
        Message = self.env["mail.message"].sudo()
        messages = Message.search(
            [
                ("model", "=", "discuss.channel"),
                ("res_id", "in", list(visit_of)),
                ("message_type", "=", "comment"),
                *domain,
            ],
            order=order,
            limit=limit,
        )
        entries = []
        for message in messages:
            entries.append(
                {
                    "id": message.id,
                    "date": message.date,
                    "model": "clinic.waiting.entry",
                    "res_id": visit_of[message.res_id].id,
                    "title": _("Message from the patient")
                    if message.author_guest_id
                    else _("Message from %s", message.author_id.name or _("the clinic")),
                    "details": [html2plaintext(message.body or "")],
                }
            )
        return entries
