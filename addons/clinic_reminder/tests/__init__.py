from . import (
    test_access,
    test_callbacks,
    test_campaign,
    test_gateways,
    test_live_colours,
    test_odoo_sms,
    test_public_methods,
    test_response_page,
    test_telegram,
    test_tools,
    test_tours,
    test_whole_day,
)
