"""Typed exceptions of clinic_reminder."""


class GatewayError(Exception):
    """A gateway refused or could not take a message; the message fails."""


class NotConnected(GatewayError):
    """The patient has no address on this channel (e.g. no messenger chat)."""
