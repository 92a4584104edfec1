from . import test_dial, test_public_methods
