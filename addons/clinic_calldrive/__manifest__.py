# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clinic Call Drives",
    "summary": "Confirmation and reminder call lists with row locks and outcomes",
    "version": "18.0.1.2.0",
    "category": "Services/Clinic",
    "website": "https://github.com/clinic-comms/clinic-odoo",
    "author": "Clinic Comms",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["clinic_base", "mail", "bus"],
    "data": [
        "security/clinic_calldrive_security.xml",
        "security/ir.model.access.csv",
        "data/clinic_call_result_data.xml",
        "data/ir_cron_data.xml",
        "views/clinic_call_list_views.xml",
        "views/clinic_call_result_views.xml",
        "views/clinic_settings_views.xml",
        "views/clinic_calldrive_menus.xml",
    ],
    "demo": [
        "demo/clinic_calldrive_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "clinic_calldrive/static/src/**/*",
        ],
        "web.assets_tests": [
            "clinic_calldrive/static/tests/tours/**/*",
        ],
        "web.assets_unit_tests": [
            "clinic_calldrive/static/tests/**/*.test.js",
        ],
    },
}
