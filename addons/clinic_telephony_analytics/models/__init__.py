from . import (
    calendar_event,
    clinic_call,
    clinic_call_effectiveness_report,
    clinic_call_tag,
    clinic_call_tag_group,
    clinic_call_tag_line,
    clinic_settings,
    res_company,
)
