from . import (
    test_callbacks,
    test_campaign,
    test_response_page,
    test_tools,
    test_tours,
    test_whole_day,
)
