"""Delivery status of a reminder message, tolerant of duplicates and disorder (C9-C11).

Gateways report statuses more than once and not always in order ("delivered"
may arrive after "read"). A status only ever moves forward; "failed" counts
only while the message has not reached the patient.

The outbox (C11) adds two states of its own: "sending" is committed before the
provider is called, and a message still "sending" after its dispatcher died or
could not record the answer becomes "unknown": it may or may not have left, so
it is never sent again by itself. A provider's later report settles it.
"""

QUEUED = "queued"
SENDING = "sending"
UNKNOWN = "unknown"
SENT = "sent"
DELIVERED = "delivered"
READ = "read"
FAILED = "failed"

STATES = (QUEUED, SENDING, UNKNOWN, SENT, DELIVERED, READ, FAILED)
# What a provider may report about a message (the outbox's own states are ours).
REPORTED = (SENT, DELIVERED, READ, FAILED)
RANK = {QUEUED: 0, SENDING: 1, UNKNOWN: 1, SENT: 2, DELIVERED: 3, READ: 4}
# Statuses that mean the patient's device has the message.
REACHED = (DELIVERED, READ)


def advance(current, incoming):
    """New state after ``incoming`` was reported in ``current``, or ``None`` for no change."""
    if incoming not in REPORTED or incoming == current:
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
