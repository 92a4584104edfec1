"""Tours during which the server side moves on by itself (a PBX event, a patient
joining a call), as soon as the user's clicks have shown up in the database."""

import threading
import time
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.tests.common import ChromeBrowser

PUSH_TIMEOUT = 60  # seconds a pusher waits for the tour to get where it acts


class TourPushersMixin:
    """For HttpCase classes."""

    def run_tour_with_pushers(self, url, tour, login, pushers=(), **tour_kwargs):
        """Run ``tour``; meanwhile each ``(condition, action)`` of ``pushers`` runs
        ``action(env)`` once ``condition(env)`` holds, in a thread of its own.
        ``tour_kwargs`` go to ``start_tour`` (``timeout``...).

        The pushers only touch the database once the browser is running, when
        this thread no longer uses its cursor, and through test cursors, which
        take turns with the HTTP requests of the browser.
        """
        browsing, stop, errors = threading.Event(), threading.Event(), []

        def pusher(condition, action):
            browsing.wait(PUSH_TIMEOUT)
            deadline = time.monotonic() + PUSH_TIMEOUT
            try:
                while not stop.is_set() and time.monotonic() < deadline:
                    with self.registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        if condition(env):
                            action(env)
                            return
                    time.sleep(0.3)
                errors.append(f"the tour never got to where {action.__name__} pushes")
            except Exception as exc:  # noqa: BLE001 - reported by the test below
                errors.append(exc)

        threads = [threading.Thread(target=pusher, args=pair) for pair in pushers]
        for thread in threads:
            thread.start()
        navigate_to = ChromeBrowser.navigate_to

        def navigate_and_signal(browser, *args, **kwargs):
            result = navigate_to(browser, *args, **kwargs)
            browsing.set()
            return result

        try:
            with patch.object(ChromeBrowser, "navigate_to", navigate_and_signal):
                self.start_tour(url, tour, login=login, **tour_kwargs)
        finally:
            stop.set()
            for thread in threads:
                thread.join(PUSH_TIMEOUT)
        self.assertFalse(errors)
