"""ORM-free helpers of clinic_reminder (unit-tested on their own)."""

from . import channel_rules, colour, keys, message_state, quiet_hours, reply_intent, telegram_link
