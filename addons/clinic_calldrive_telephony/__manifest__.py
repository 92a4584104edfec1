# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clinic Call Drives with Telephony",
    "summary": "Call-list rows dial through the PBX; missed calls to call back, live",
    "version": "18.0.1.2.0",
    "category": "Services/Clinic",
    "website": "https://github.com/clinic-comms/clinic-odoo",
    "author": "Clinic Comms",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["clinic_calldrive", "clinic_telephony"],
    "data": [
        "security/clinic_calldrive_telephony_security.xml",
        "security/ir.model.access.csv",
        "views/clinic_missed_call_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "clinic_calldrive_telephony/static/src/**/*",
        ],
        "web.assets_tests": [
            "clinic_calldrive_telephony/static/tests/tours/**/*",
        ],
    },
}
