from . import (
    test_access,
    test_conversion,
    test_install,
    test_multi_company,
    test_public_methods,
    test_report,
    test_tags,
    test_tools,
    test_tours,
)
