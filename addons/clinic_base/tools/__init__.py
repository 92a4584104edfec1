"""ORM-free helpers of clinic_base (unit-tested on their own)."""

from . import appointment_state, phone
