from . import cli, controllers, models
from .hooks import uninstall_hook
