# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clinic Reminder Campaigns",
    "summary": "Next-day reminders by messenger then SMS, patient response page, colours",
    "version": "18.0.1.3.0",
    "category": "Services/Clinic",
    "website": "https://github.com/clinic-comms/clinic-odoo",
    "author": "Clinic Comms",
    "license": "LGPL-3",
    "installable": True,
    # Call drives bring their reminder campaigns (seed 004, issue 17.4); inert until a
    # gateway is set, and still uninstallable on their own.
    "auto_install": ["clinic_calldrive"],
    "depends": ["clinic_calldrive", "sms"],
    "external_dependencies": {"python": ["requests", "twilio", "smpplib"]},
    "data": [
        "security/clinic_reminder_security.xml",
        "security/ir.model.access.csv",
        "data/clinic_call_result_data.xml",
        "data/sms_template_data.xml",
        "data/ir_cron_data.xml",
        "views/clinic_reminder_gateway_views.xml",
        "views/clinic_reminder_message_views.xml",
        "views/clinic_reminder_reply_views.xml",
        "views/clinic_call_list_line_views.xml",
        "views/clinic_reminder_campaign_views.xml",
        "views/clinic_reminder_report_views.xml",
        "views/clinic_settings_views.xml",
        "views/clinic_reminder_menus.xml",
        "views/clinic_reminder_templates.xml",
        "views/res_partner_views.xml",
    ],
    "demo": [
        "demo/clinic_reminder_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "clinic_reminder/static/src/**/*",
        ],
        "web.assets_tests": [
            "clinic_reminder/static/tests/tours/**/*",
        ],
        "web.assets_unit_tests": [
            "clinic_reminder/static/tests/**/*.test.js",
        ],
    },
}
