"""Delivery status of a reminder message, tolerant of duplicates and disorder (C9, C10).

Gateways report statuses more than once and not always in order ("delivered"
may arrive after "read"). A status only ever moves forward; "failed" counts
only while the message has not reached the patient.
"""

QUEUED = "queued"
SENT = "sent"
DELIVERED = "delivered"
READ = "read"
FAILED = "failed"

STATES = (QUEUED, SENT, DELIVERED, READ, FAILED)
RANK = {QUEUED: 0, SENT: 1, DELIVERED: 2, READ: 3}
# Statuses that mean the patient's device has the message.
REACHED = (DELIVERED, READ)


def advance(current, incoming):
    """New state after ``incoming`` was reported in ``current``, or ``None`` for no change."""
    if incoming not in STATES or incoming == QUEUED or incoming == current:
        return None
    if current == FAILED:
        # A late "delivered"/"read" proves the message did arrive after all.
        return incoming if incoming in REACHED else None
    if incoming == FAILED:
        return FAILED if RANK[current] < RANK[DELIVERED] else None
    return incoming if RANK[incoming] > RANK[current] else None


# Odoo's own SMS (``sms.sms`` states of the ``sms`` module) as our states (C9):
# "process" and "pending" are with the provider, "sent" means delivered to the
# phone; "outgoing" (still in Odoo's queue) says nothing new.
ODOO_SMS_STATES = {
    "process": SENT,
    "pending": SENT,
    "sent": DELIVERED,
    "error": FAILED,
    "canceled": FAILED,
}


def from_odoo_sms(sms_state):
    """Our state for an ``sms.sms`` state, or ``None`` when it tells nothing new."""
    return ODOO_SMS_STATES.get(sms_state)
