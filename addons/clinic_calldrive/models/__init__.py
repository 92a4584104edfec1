# The row's mixins first: Odoo builds models in import order.
from . import clinic_call_lock_mixin, clinic_call_operator_mixin

# isort: split
from . import (
    calendar_event,
    clinic_call_attempt,
    clinic_call_list,
    clinic_call_list_line,
    clinic_call_result,
    clinic_settings,
    ir_websocket,
    res_company,
    res_partner,
)
