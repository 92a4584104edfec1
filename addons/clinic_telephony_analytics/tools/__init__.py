"""ORM-free helpers of clinic_telephony_analytics (unit-tested on their own)."""

from . import conversion, tags
