from . import clinic_call_effectiveness_export
