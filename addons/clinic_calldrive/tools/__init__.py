from . import lock_policy
