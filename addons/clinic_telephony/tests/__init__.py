from . import test_dial, test_ingest, test_install, test_phones, test_tools, test_tours
