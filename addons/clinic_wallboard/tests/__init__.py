from . import test_board, test_public_methods, test_tools, test_tours
