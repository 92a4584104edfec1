# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clinic Base",
    "summary": "Patients, appointments and an indexed phone lookup for clinics",
    "version": "18.0.1.2.0",
    "category": "Services/Clinic",
    "website": "https://github.com/clinic-comms/clinic-odoo",
    "author": "Clinic Comms",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["base", "mail", "calendar", "contacts", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/clinic_base_security.xml",
        "security/ir.model.access.csv",
        "views/clinic_menus.xml",
        "views/res_partner_views.xml",
        "views/calendar_event_views.xml",
        "views/clinic_settings_views.xml",
    ],
    "demo": [
        "demo/clinic_users_demo.xml",
        "demo/clinic_patients_demo.xml",
        "demo/clinic_appointments_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "clinic_base/static/src/**/*",
        ],
        "web.assets_tests": [
            "clinic_base/static/tests/tours/**/*",
        ],
    },
}
