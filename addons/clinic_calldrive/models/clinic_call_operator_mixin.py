from odoo import fields, models
from odoo.addons.clinic_base.tools import appointment_state as st


class ClinicCallOperatorMixin(models.AbstractModel):
    """What the operator screen (C1, C3, C4) and its bus messages show of a call-list row.

    Read by the OWL client action ``clinic_calldrive.operator``: the rows of a
    list (:meth:`_row_data`), the selected row's header (:meth:`operator_card`)
    and the lock changes pushed to every operator of the list (:meth:`_lock_payload`).
    """

    _name = "clinic.call.operator.mixin"
    _description = "Call-list row on the operator screen"

    def _lock_payload(self):
        self.ensure_one()
        holder = self.lock_user_id
        return {
            "list_id": self.list_id.id,
            "line_id": self.id,
            "lock_user": {"id": holder.id, "name": holder.name} if holder else False,
            "lock_stale": self._is_stale(),
            "state": self.state,
        }

    def _row_data(self):
        self.ensure_one()
        return dict(
            self._lock_payload(),
            id=self.id,
            name=self.name or False,
            partner={"id": self.partner_id.id, "name": self.partner_id.name},
            phone=self.phone or False,
            event_start=fields.Datetime.to_string(self.event_start) if self.event_start else False,
            last_result=self.last_result_id.name or False,
        )

    def operator_card(self):
        """Header of the operator screen for the selected row (C1, C3, C4)."""
        self.ensure_one()
        partner = self.partner_id
        appointments = self.env["calendar.event"].search(
            [
                ("patient_id", "=", partner.id),
                ("clinic_state", "in", list(st.OPEN_STATES)),
                ("stop", ">=", fields.Datetime.now()),
            ],
            order="start",
        )
        states = dict(
            self.env["calendar.event"]._fields["clinic_state"]._description_selection(self.env)
        )
        outcomes = dict(
            self.env["clinic.call.attempt"]._fields["outcome"]._description_selection(self.env)
        )
        holder = self.lock_user_id
        return dict(
            self._row_data(),
            partner={
                "id": partner.id,
                "name": partner.name,
                "birthdate": fields.Date.to_string(partner.birthdate)
                if partner.birthdate
                else False,
                "numbers": [
                    {"number": row.number, "label": row.label or False}
                    for row in partner.clinic_phone_ids
                ],
            },
            last_comment=self.last_comment or False,
            can_dial=self._can_dial(),
            lock_mine=holder == self.env.user,
            lock_date=fields.Datetime.to_string(self.lock_date) if self.lock_date else False,
            appointments=[
                {
                    "id": event.id,
                    "start": fields.Datetime.to_string(event.start),
                    "practitioner": event.practitioner_id.name or False,
                    "state": states.get(event.clinic_state),
                    "current": event == self.event_id,
                }
                for event in appointments
            ],
            attempts=[
                {
                    "id": attempt.id,
                    "user": attempt.user_id.name,
                    "start": fields.Datetime.to_string(attempt.start),
                    "result": attempt.result_id.name or False,
                    "comment": attempt.comment or False,
                    "outcome_label": outcomes.get(attempt.outcome),
                }
                for attempt in self.attempt_ids
            ],
        )
