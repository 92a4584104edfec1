"""Issue 17: the clinic's settings moved from Odoo's Settings page to the Clinic settings
screen (``clinic.settings``).

Each clinic addon's block of Odoo's Settings page names fields that Odoo's Settings no
longer has once the new code is loaded. Odoo would delete each block at the end of its own
addon's update, but validates the Settings page (every block of it) whenever an addon loaded
before that writes a block of its own: the blocks go here, before any clinic addon loads.
"""

MOVED = (
    ("clinic_telephony", "res_config_settings_view_form"),
    ("clinic_telephony_analytics", "res_config_settings_view_form"),
    ("clinic_calldrive", "res_config_settings_view_form"),
    ("clinic_calldrive_telephony", "res_config_settings_view_form"),
    ("clinic_waiting_room", "res_config_settings_view_form"),
    ("clinic_reminder", "res_config_settings_view_form"),
)


def migrate(cr, version):
    cr.execute(
        """
        DELETE FROM ir_ui_view
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE model = 'ir.ui.view' AND (module, name) IN %s)
        """,
        [MOVED],
    )
    cr.execute(
        "DELETE FROM ir_model_data WHERE model = 'ir.ui.view' AND (module, name) IN %s",
        [MOVED],
    )
