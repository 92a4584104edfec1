from . import (
    calendar_event,
    clinic_call_list,
    clinic_call_list_line,
    clinic_call_result,
    clinic_reminder_campaign,
    clinic_reminder_gateway,
    clinic_reminder_message,
    clinic_reminder_report,
    res_company,
    res_config_settings,
    res_partner,
    sms_tracker,
)
