# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clinic Waiting Room",
    "summary": "Virtual waiting room with two-way messaging, hold and video consultations",
    "version": "18.0.1.0.0",
    "category": "Services/Clinic",
    "website": "https://github.com/clinic-comms/clinic-odoo",
    "author": "Clinic Comms",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["clinic_base", "mail", "bus"],
    "data": [
        "security/clinic_waiting_room_security.xml",
    ],
}
