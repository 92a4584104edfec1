"""Presence (W11) and the channel's link to its visit (issue 14), filled in SQL.

- ``clinic_waiting_entry.presence``: nobody is known to be there yet; visits that
  were open wait for the patient's page to connect (then their waiting time starts),
  finished ones count as left.
- ``clinic_waiting_entry.status``: what the dashboard shows, from both.
- ``discuss_channel.clinic_waiting_entry_id``: read back from the visits.
"""


def migrate(cr, version):
    cr.execute(
        """
        ALTER TABLE clinic_waiting_entry
            ADD COLUMN IF NOT EXISTS presence varchar,
            ADD COLUMN IF NOT EXISTS status varchar
        """
    )
    cr.execute(
        """
        UPDATE clinic_waiting_entry
           SET presence = CASE WHEN state = 'finished' THEN 'left' ELSE 'invited' END,
               status = CASE WHEN state IN ('in_consultation', 'finished') THEN state
                             ELSE 'invited' END
        """
    )
    cr.execute(
        "ALTER TABLE discuss_channel ADD COLUMN IF NOT EXISTS clinic_waiting_entry_id integer"
    )
    cr.execute(
        """
        UPDATE discuss_channel c
           SET clinic_waiting_entry_id = e.id
          FROM clinic_waiting_entry e
         WHERE e.channel_id = c.id
        """
    )
