from . import test_dial, test_missed_calls, test_public_methods
