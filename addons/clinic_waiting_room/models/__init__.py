# isort: off
# the mixins first: clinic.waiting.entry inherits them
from . import clinic_waiting_messaging, clinic_waiting_presence

# isort: on
from . import (
    bus_presence,
    calendar_event,
    clinic_settings,
    clinic_waiting_entry,
    clinic_waiting_room,
    clinic_waiting_room_hours,
    discuss_channel,
    discuss_channel_member,
    discuss_channel_rtc_session,
    ir_websocket,
    mail_guest,
    mail_message,
    res_company,
    res_partner,
)
