"""Concurrent JSON POSTs to a gateway (C9, P4), free of the ORM.

Provider APIs answer in tens to hundreds of milliseconds; sending a campaign
one request at a time would take minutes. The requests are prepared by the
caller (inside its transaction), posted from a small thread pool over
keep-alive connections, and the answers handed back in order.
"""

import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import requests
import urllib3

TIMEOUT = 10


class Reply:
    """What came back for one request: ``status`` and ``json`` or ``error``.

    ``unsent``: the connection could not be made, so the provider cannot have
    the request (C11: such a message may be tried again).
    """

    __slots__ = ("status", "json", "error", "unsent")

    def __init__(self, status=None, json=None, error=None, unsent=False):
        self.status = status
        self.json = json if isinstance(json, dict) else {}
        self.error = error
        self.unsent = unsent

    @property
    def ok(self):
        return self.error is None and self.status is not None and 200 <= self.status < 300


def not_sent(exc):
    """True when ``exc`` (from requests) happened before the request could leave."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if isinstance(exc, requests.ConnectionError):
        reason = exc.args[0] if exc.args else None
        reason = getattr(reason, "reason", reason)
        return isinstance(reason, urllib3.exceptions.NewConnectionError)
    return False


def post_all(requests_spec, workers=4, timeout=TIMEOUT):
    """POST every ``(url, payload, headers)``; returns one :class:`Reply` per request."""
    local = threading.local()
    # Proxies are read from the environment once, not on every request.
    proxies = urllib.request.getproxies()

    def session():
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.trust_env = False
            local.session.proxies.update(proxies)
        return local.session

    def post(spec):
        url, payload, headers = spec
        try:
            response = session().post(url, json=payload, headers=headers, timeout=timeout)
        except requests.RequestException as exc:
            return Reply(error=str(exc) or type(exc).__name__, unsent=not_sent(exc))
        try:
            answer = response.json()
        except ValueError:
            answer = None
        return Reply(response.status_code, answer)

    specs = list(requests_spec)
    if not specs:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(specs)))) as pool:
        replies = list(pool.map(post, specs))
    return replies
