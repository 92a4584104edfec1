from . import test_dial
