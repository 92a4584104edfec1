from . import test_campaign, test_tools
