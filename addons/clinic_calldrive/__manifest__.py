# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clinic Call Drives",
    "summary": "Confirmation and reminder call lists with row locks and outcomes",
    "version": "18.0.1.0.0",
    "category": "Services/Clinic",
    "website": "https://github.com/clinic-comms/clinic-odoo",
    "author": "Clinic Comms",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["clinic_base", "mail", "bus"],
    "data": [
        "security/clinic_calldrive_security.xml",
    ],
}
