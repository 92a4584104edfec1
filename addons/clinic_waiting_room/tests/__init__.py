from . import (
    test_consultation,
    test_install,
    test_messaging,
    test_notify,
    test_public_methods,
    test_routes,
    test_security,
    test_send_link,
    test_settings,
    test_state_labels,
    test_tours,
    test_waiting_state,
)
