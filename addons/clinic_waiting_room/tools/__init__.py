from . import waiting_state
