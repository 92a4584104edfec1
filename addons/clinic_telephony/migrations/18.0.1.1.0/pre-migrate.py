def migrate(cr, version):
    """Companies on phone systems and calls (R6), recordings fetched into Odoo (T15),
    hidden numbers not stored (11.7).

    Runs before the ORM adds the new required columns: they are created and
    filled here so that existing rows get a real value, not a NOT NULL failure.
    """
    cr.execute(
        """
        ALTER TABLE clinic_pbx ADD COLUMN IF NOT EXISTS company_id integer;
        UPDATE clinic_pbx p
           SET company_id = COALESCE(
                   (SELECT ph.company_id FROM clinic_telephony_phone ph
                     WHERE ph.pbx_id = p.id ORDER BY ph.id LIMIT 1),
                   (SELECT min(id) FROM res_company))
         WHERE company_id IS NULL;

        ALTER TABLE clinic_call ADD COLUMN IF NOT EXISTS company_id integer;
        -- the clinic of the call's desk phone, else of its PBX
        UPDATE clinic_call c SET company_id = ph.company_id
          FROM clinic_telephony_phone ph WHERE ph.id = c.phone_id AND c.company_id IS NULL;
        UPDATE clinic_call c SET company_id = p.company_id
          FROM clinic_pbx p WHERE p.id = c.pbx_id AND c.company_id IS NULL;

        UPDATE clinic_call SET number_e164 = NULL
         WHERE hidden_number AND number_e164 IS NOT NULL;

        ALTER TABLE clinic_call ADD COLUMN IF NOT EXISTS recording_state varchar;
        UPDATE clinic_call
           SET recording_state = CASE WHEN recording_url IS NULL THEN 'none' ELSE 'pending' END,
               has_recording = false
         WHERE recording_state IS NULL;
        """
    )
