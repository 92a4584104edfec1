from . import (
    clinic_call,
    clinic_call_list_line,
    clinic_missed_call,
    clinic_settings,
    res_company,
)
