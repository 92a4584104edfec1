from odoo import _, models
from odoo.exceptions import UserError

from ..tools.transition import InvalidTransition, check_transition


class ClinicStateMixin(models.AbstractModel):
    """Status moves checked against a table, refused in the user's language (SPEC 0, W6).

    Appointments and waiting-room visits inherit it; their tables live in
    ``tools/appointment_state.py`` and clinic_waiting_room's ``tools/waiting_state.py``.
    """

    _name = "clinic.state.mixin"
    _description = "Clinic status rules"

    def _clinic_check_transition(self, field_name, transitions, target):
        """Raise a UserError unless every record may move ``field_name`` to ``target``.

        The message names the statuses with the field's selection labels as the
        current user reads them (ru/de users read Russian/German status names).
        """
        for record in self:
            try:
                check_transition(transitions, record[field_name], target)
            except InvalidTransition as exc:
                field = self._fields[field_name]
                labels = dict(field._description_selection(self.env))
                raise UserError(
                    _(
                        "%(record)s cannot go from %(current)s to %(target)s.",
                        record=record.display_name,
                        current=labels.get(exc.current, exc.current),
                        target=labels.get(exc.target, exc.target),
                    )
                ) from exc
