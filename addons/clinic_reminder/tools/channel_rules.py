"""Messenger channel rules (C10).

Business messengers (WhatsApp Business and alike) only let a bot send free
text within a window after the patient's last message; outside it, only
pre-approved templates go out. A window of 0 hours means the channel has no
such rule (e.g. Telegram).
"""

from datetime import timedelta


class ChannelRuleError(ValueError):
    """The channel does not allow this message now."""


def check_window(is_template, last_inbound, now, window_hours):
    """Raise :class:`ChannelRuleError` if a free-text message may not go out now."""
    if is_template or not window_hours:
        return True
    if last_inbound and now - last_inbound <= timedelta(hours=window_hours):
        return True
    raise ChannelRuleError(
        f"free text outside the {window_hours}-hour window; only templates may be sent"
    )
