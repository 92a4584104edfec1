"""Reminder gateways and messages get their company (R6, issue 11.2).

* a gateway belongs to the company whose settings use it (the lowest company id
  when several or none do), filled before the ORM makes the column required;
* a message's company is its campaign's, in one statement: left to the ORM, the
  new stored related field would be computed row by row over the whole outbox.

The gateways' keys are now derived from their secret, one per purpose (11.3):
Telegram bots need *Register webhook* again, and generic HTTP providers the new
*Delivery report key* shown on the gateway.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute("ALTER TABLE clinic_reminder_gateway ADD COLUMN IF NOT EXISTS company_id integer")
    cr.execute(
        """
        UPDATE clinic_reminder_gateway g
           SET company_id = COALESCE(
                   (SELECT min(c.id) FROM res_company c
                     WHERE g.id IN (c.clinic_reminder_messenger_gateway_id,
                                    c.clinic_reminder_sms_gateway_id)),
                   (SELECT min(id) FROM res_company))
         WHERE g.company_id IS NULL
        """
    )
    cr.execute("ALTER TABLE clinic_reminder_message ADD COLUMN IF NOT EXISTS company_id integer")
    cr.execute(
        """
        UPDATE clinic_reminder_message m
           SET company_id = c.company_id
          FROM clinic_reminder_campaign c
         WHERE c.id = m.campaign_id AND m.company_id IS NULL
        """
    )
    cr.execute("SELECT count(*) FROM clinic_reminder_gateway WHERE kind = 'telegram'")
    if cr.fetchone()[0]:
        _logger.warning(
            "clinic_reminder: press 'Register webhook' on each Telegram gateway: its secret "
            "token is now a key of its own (11.3)"
        )
