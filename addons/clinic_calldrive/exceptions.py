"""Typed errors of the call drive, so that callers can tell them apart."""

from odoo.exceptions import UserError


class LineLockedError(UserError):
    """The row is being processed by another operator (SPEC C4).

    ``holder`` is the res.users record holding it, ``stale`` tells whether the
    lock is old enough for the caller to be offered a release.
    """

    def __init__(self, message, holder=None, stale=False):
        super().__init__(message)
        self.holder = holder
        self.stale = stale
