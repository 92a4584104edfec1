from . import (
    clinic_call,
    clinic_call_event,
    clinic_pbx,
    clinic_pbx_command,
    clinic_pbx_source,
    clinic_telephony_phone,
    res_company,
    res_config_settings,
    res_partner,
    res_users,
)
