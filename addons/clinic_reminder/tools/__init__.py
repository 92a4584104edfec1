"""ORM-free helpers of clinic_reminder (unit-tested on their own)."""

from . import channel_rules, colour, message_state
