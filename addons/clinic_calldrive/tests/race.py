"""Operators racing for call-list rows, each on its own committed cursor (R2).

Shared by the R2 test and ``bench/bench_calldrive_locks.py`` (which loads this file
on its own, without the test package and its test framework).
"""

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from psycopg2 import errors

from odoo import api
from odoo.addons.clinic_calldrive.exceptions import LineLockedError

RETRYABLE = (errors.LockNotAvailable, errors.SerializationFailure)


def commit_retrying(cr, work):
    """Run ``work()`` and commit, as one RPC would; on a lock conflict roll back, wait
    a moment and run it again, as Odoo's RPC layer does. Returns the retry count."""
    retries = 0
    while True:
        try:
            work()
            cr.commit()  # pylint: disable=invalid-commit
            return retries
        except RETRYABLE:
            cr.rollback()
            retries += 1
            time.sleep(random.uniform(0.001, 0.01))


@dataclass
class RaceResult:
    wins: Counter = field(default_factory=Counter)  # line id -> successful claims
    retries: int = 0
    failures: list = field(default_factory=list)
    stuck: int = 0  # threads still running after the timeout: a deadlock
    elapsed: float = 0.0


def race_for_rows(registry, user_ids, line_ids, timeout=60):
    """Every user claims every row (``action_start_call``) in an order of its own, all
    starting at once; a refused row (held by another) is skipped."""
    result = RaceResult()
    barrier = threading.Barrier(len(user_ids), timeout=30)
    lock = threading.Lock()

    def operator(uid):
        order = random.Random(uid).sample(line_ids, len(line_ids))
        try:
            with registry.cursor() as cr:
                Line = api.Environment(cr, uid, {})["clinic.call.list.line"]
                barrier.wait()
                for line_id in order:
                    try:
                        retries = commit_retrying(cr, Line.browse(line_id).action_start_call)
                    except LineLockedError:
                        cr.rollback()
                        continue
                    with lock:
                        result.wins[line_id] += 1
                        result.retries += retries
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            result.failures.append(repr(exc))

    threads = [threading.Thread(target=operator, args=(uid,)) for uid in user_ids]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    result.elapsed = time.monotonic() - started
    result.stuck = sum(thread.is_alive() for thread in threads)
    return result
