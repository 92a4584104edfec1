def migrate(cr, version):
    """Telephony pause per company (issue 15 item 9): the old global switch applies to
    every company, then goes."""
    cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'clinic_telephony.paused'")
    row = cr.fetchone()
    if row and row[0] and row[0] not in ("0", "False"):
        cr.execute("UPDATE res_company SET clinic_telephony_paused = true")
    cr.execute("DELETE FROM ir_config_parameter WHERE key = 'clinic_telephony.paused'")
