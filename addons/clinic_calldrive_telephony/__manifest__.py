# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clinic Call Drives with Telephony",
    "summary": "Start call on a call-list row dials through the clinic's PBX",
    "version": "18.0.1.0.0",
    "category": "Services/Clinic",
    "website": "https://github.com/clinic-comms/clinic-odoo",
    "author": "Clinic Comms",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["clinic_calldrive", "clinic_telephony"],
}
