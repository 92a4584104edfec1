"""What the addon creates outside Odoo's models goes with it (O4)."""

from .models.clinic_call_event import DROP_CLAIM_FUNCTION_SQL


def uninstall_hook(env):
    # The PL/pgSQL function of the PBX event ingestion (clinic.call.event.init()).
    env.cr.execute(DROP_CLAIM_FUNCTION_SQL)
