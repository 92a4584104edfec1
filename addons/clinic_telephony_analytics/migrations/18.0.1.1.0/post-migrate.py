def migrate(cr, version):
    """Call tag settings per company (issue 15 item 9): the old global parameters apply
    to every company, then go."""
    cr.execute(
        """SELECT key, value FROM ir_config_parameter
            WHERE key IN ('clinic_telephony_analytics.call_tags',
                          'clinic_telephony_analytics.call_tag_mode')"""
    )
    params = dict(cr.fetchall())
    if params.get("clinic_telephony_analytics.call_tags") == "True":
        cr.execute("UPDATE res_company SET clinic_call_tags = true")
    if params.get("clinic_telephony_analytics.call_tag_mode") in ("no_booking", "always"):
        cr.execute(
            "UPDATE res_company SET clinic_call_tag_mode = %s",
            [params["clinic_telephony_analytics.call_tag_mode"]],
        )
    cr.execute(
        """DELETE FROM ir_config_parameter
            WHERE key IN ('clinic_telephony_analytics.call_tags',
                          'clinic_telephony_analytics.call_tag_mode')"""
    )
