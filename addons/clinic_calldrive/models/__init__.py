from . import (
    calendar_event,
    clinic_call_attempt,
    clinic_call_line,
    clinic_call_list,
    clinic_call_result,
    ir_websocket,
    res_company,
    res_config_settings,
    res_partner,
)
