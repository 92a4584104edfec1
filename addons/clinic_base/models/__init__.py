from . import calendar_event, clinic_partner_phone, res_company, res_config_settings, res_partner
