from . import (
    test_access,
    test_ari,
    test_concurrency,
    test_dial,
    test_ingest,
    test_install,
    test_phones,
    test_simulator,
    test_tools,
    test_tours,
    test_webhook,
    test_webhook_fuzz,
)
