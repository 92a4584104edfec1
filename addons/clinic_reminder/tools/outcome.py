"""What came of handing one message to a provider (C11), decided without the ORM.

* ``accepted``: the provider took it; its id (and our first state) are known;
* ``refused``: the provider said no: the message failed (and may fall back);
* ``retry``: it never reached the provider (no connection, throttled): it is
  queued again, a little later, and fails after a few tries;
* ``unknown``: it may have reached the provider, the answer is lost (timeout,
  connection reset, server error, an exception while reading the answer). It
  is never sent again by itself: someone decides.
"""

from collections import namedtuple

ACCEPTED = "accepted"
REFUSED = "refused"
RETRY = "retry"
UNKNOWN = "unknown"

Outcome = namedtuple("Outcome", "kind provider_id state error", defaults=(None, None, None))


def accepted(provider_id, state):
    return Outcome(ACCEPTED, str(provider_id), state)


def refused(error):
    return Outcome(REFUSED, error=str(error)[:200])


def retry(error):
    return Outcome(RETRY, error=str(error)[:200])


def unknown(error):
    return Outcome(UNKNOWN, error=str(error)[:200])
