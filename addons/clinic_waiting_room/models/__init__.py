from . import (
    calendar_event,
    clinic_waiting_entry,
    clinic_waiting_room,
    discuss_channel,
    discuss_channel_rtc_session,
    ir_websocket,
    res_config_settings,
)
