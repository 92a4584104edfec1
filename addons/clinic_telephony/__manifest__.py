# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clinic Telephony",
    "summary": "PBX calls with live caller cards, click-to-call and call history",
    "version": "18.0.1.2.0",
    "category": "Services/Clinic",
    "website": "https://github.com/clinic-comms/clinic-odoo",
    "author": "Clinic Comms",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["clinic_base", "mail", "bus"],
    "external_dependencies": {"python": ["phonenumbers", "requests", "websocket-client"]},
    "data": [
        "security/clinic_telephony_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/clinic_call_views.xml",
        "views/clinic_pbx_views.xml",
        "views/clinic_settings_views.xml",
        "views/res_users_views.xml",
        "views/clinic_telephony_webclient.xml",
    ],
    "demo": [
        "demo/clinic_telephony_demo.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "assets": {
        "web.assets_backend": [
            "clinic_telephony/static/src/**/*",
        ],
        "web.assets_tests": [
            "clinic_telephony/static/tests/tours/**/*",
        ],
        "web.assets_unit_tests": [
            "clinic_telephony/static/tests/**/*.test.js",
        ],
    },
}
