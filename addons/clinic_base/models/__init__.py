# isort: off
# The mixin first: calendar_event inherits it.
from . import clinic_state_mixin
from . import (
    calendar_event,
    clinic_partner_phone,
    clinic_settings,
    ir_http,
    ir_websocket,
    res_company,
    res_partner,
)
