# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clinic Telephony Analytics",
    "summary": "Call conversion, call tags and administrator effectiveness reports",
    "version": "18.0.1.3.0",
    "category": "Services/Clinic",
    "website": "https://github.com/clinic-comms/clinic-odoo",
    "author": "Clinic Comms",
    "license": "LGPL-3",
    "installable": True,
    # Telephony brings conversion, call tags and the effectiveness report (seed 003,
    # issue 17.4); tags stay off until a manager switches them on.
    "auto_install": True,
    "depends": ["clinic_telephony"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/clinic_telephony_analytics_security.xml",
        "security/ir.model.access.csv",
        "views/calendar_event_views.xml",
        "views/clinic_call_views.xml",
        "views/clinic_call_tag_views.xml",
        "views/clinic_call_effectiveness_report_views.xml",
        "wizard/clinic_call_effectiveness_export_views.xml",
        "report/clinic_call_effectiveness_report.xml",
        "views/clinic_settings_views.xml",
        "views/clinic_menus.xml",
    ],
    "demo": [
        "demo/clinic_call_tag_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "assets": {
        "web.assets_backend": [
            "clinic_telephony_analytics/static/src/**/*",
        ],
        "web.assets_tests": [
            "clinic_telephony_analytics/static/tests/tours/**/*",
        ],
    },
}
