"""Whether a cron may commit its own work (C11)."""

import threading


def may_commit():
    """False in Odoo's test threads, which must not commit (as mail.mail's queue checks)."""
    return not getattr(threading.current_thread(), "testing", False)
