from . import (
    clinic_call,
    clinic_call_list_line,
    clinic_missed_call,
    res_company,
    res_config_settings,
)
