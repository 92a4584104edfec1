# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clinic Waiting Room",
    "summary": "Virtual waiting room with two-way messaging, hold and video consultations",
    "version": "18.0.1.2.0",
    "category": "Services/Clinic",
    "website": "https://github.com/clinic-comms/clinic-odoo",
    "author": "Clinic Comms",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["clinic_base", "mail", "bus", "sms"],
    "data": [
        "security/ir.model.access.csv",
        "security/clinic_waiting_room_security.xml",
        "data/clinic_waiting_room_data.xml",
        "data/mail_template_data.xml",
        "data/sms_template_data.xml",
        "views/clinic_waiting_entry_views.xml",
        "views/calendar_event_views.xml",
        "views/clinic_settings_views.xml",
        "views/patient_templates.xml",
    ],
    "demo": [
        "demo/clinic_waiting_room_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "clinic_waiting_room/static/src/common/**/*",
            "clinic_waiting_room/static/src/dashboard/**/*",
            "clinic_waiting_room/static/src/discuss/**/*",
        ],
        "web.assets_frontend": [
            "clinic_waiting_room/static/src/common/**/*",
            "clinic_waiting_room/static/src/patient/**/*",
        ],
        "web.assets_tests": [
            "clinic_waiting_room/static/tests/tours/**/*",
        ],
        "web.assets_unit_tests": [
            # the patient page's pure rules, tested with the backend's ones
            "clinic_waiting_room/static/src/patient/device_check.js",
            "clinic_waiting_room/static/tests/**/*.test.js",
        ],
    },
}
