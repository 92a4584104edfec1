"""Issue 17.1: the Clinic settings screen gathers a block from every clinic addon.

Each addon's own tour opens the screen with its own blocks (the analytics tour:
the clinic's, telephony's and call tags'); this checks, with every addon installed,
that the one screen carries them all.
"""

from lxml import etree

from odoo.tests import TransactionCase, tagged

# one setting of each addon's block
BLOCKS = {
    "clinic_base": "clinic_tz",
    "clinic_telephony": "clinic_telephony_paused",
    "clinic_telephony_analytics": "clinic_call_tags",
    "clinic_calldrive": "clinic_call_confirm_mode",
    "clinic_reminder": "clinic_reminder_times",
    "clinic_waiting_room": "clinic_waiting_threshold",
}


@tagged("post_install", "-at_install")
class TestSettingsBlocks(TransactionCase):
    def test_17_every_addon_has_its_block_on_the_screen(self):
        arch = self.env["clinic.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        shown = set(etree.fromstring(arch).xpath("//setting/@id"))
        self.assertEqual(
            {addon: BLOCKS[addon] in shown for addon in BLOCKS}, dict.fromkeys(BLOCKS, True)
        )
