/**
 * The patient a number on ``record`` belongs to: the many2one ``partnerField``
 * when given, else the record itself when it is a contact; false if unknown
 * (the server then identifies the number itself).
 */
export function partnerOfRecord(record, partnerField) {
    if (partnerField) {
        const value = record.data[partnerField];
        return value ? value[0] : false;
    }
    return record.resModel === "res.partner" && record.resId ? record.resId : false;
}
