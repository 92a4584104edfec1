from . import (
    test_access,
    test_concurrency,
    test_fill,
    test_install,
    test_live_locks,
    test_lock_aging,
    test_lock_policy,
    test_locks,
    test_outcomes,
    test_public_methods,
    test_row_guard,
    test_tours,
)
