from . import test_phone_tools
from . import test_appointment_state
from . import test_patient_lookup
from . import test_appointment
from . import test_access
from . import test_tours
