from . import clinic_partner_phone
from . import res_partner
from . import calendar_event
from . import res_company
from . import res_config_settings
