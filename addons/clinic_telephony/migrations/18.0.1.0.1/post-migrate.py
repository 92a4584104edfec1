def migrate(cr, version):
    """Drop the index on clinic_call.pbx_id (P2).

    pbx_id leads the unique index pbx_call_uniq (pbx_id, pbx_call_id), which serves
    every lookup by PBX; the second index only made each write of a call dearer.
    Odoo does not drop an index when a field loses ``index=True``.
    """
    cr.execute("DROP INDEX IF EXISTS clinic_call__pbx_id_index")
