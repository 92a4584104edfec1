{
    "name": "Clinic Wallboard",
    "summary": "Live front-desk wallboard for a TV: phones, waiting rooms, call-backs, reminders",
    "version": "18.0.1.0.0",
    "category": "Services/Clinic",
    "website": "https://github.com/clinic-comms/clinic-odoo",
    "author": "Clinic Comms",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["clinic_base", "bus", "web"],
    "data": [
        "security/clinic_wallboard_security.xml",
        "views/clinic_wallboard_views.xml",
    ],
    "demo": [
        "demo/clinic_wallboard_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "clinic_wallboard/static/src/**/*",
        ],
        "web.assets_tests": [
            "clinic_wallboard/static/tests/tours/**/*",
        ],
        "web.assets_unit_tests": [
            "clinic_wallboard/static/tests/**/*.test.js",
        ],
    },
}
