from . import clinic_call_list_line
