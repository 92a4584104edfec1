"""Typed exceptions of clinic_reminder."""


class GatewayError(Exception):
    """A gateway refused or could not take a message; the message fails."""
