from . import (
    test_access,
    test_appointment,
    test_appointment_state,
    test_patient_lookup,
    test_phone_tools,
    test_public_methods,
    test_signature,
    test_signed_request,
    test_tours,
    test_transition_labels,
)
