"""clinic.partner.phone gets the patient's company (R6).

Filled here in one statement: left to the ORM, the new stored related field would
be recomputed row by row over every stored number (two per patient).
"""


def migrate(cr, version):
    cr.execute("ALTER TABLE clinic_partner_phone ADD COLUMN IF NOT EXISTS company_id integer")
    cr.execute(
        """
        UPDATE clinic_partner_phone ph
           SET company_id = p.company_id
          FROM res_partner p
         WHERE p.id = ph.partner_id AND p.company_id IS NOT NULL
        """
    )
