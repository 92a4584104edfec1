from . import (
    clinic_call,
    clinic_call_event,
    clinic_pbx,
    clinic_pbx_command,
    clinic_pbx_source,
    clinic_settings,
    clinic_telephony_phone,
    res_company,
    res_partner,
    res_users,
)
