import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { PhoneField, phoneField } from "@web/views/fields/phone/phone_field";
import { ClickToCallButton } from "./click_to_call_button";

/**
 * The phone widget plus a click-to-call icon (T5).
 *
 * Option ``partner_field``: the many2one holding the patient the number
 * belongs to; without it, a number shown on a contact's own form belongs to
 * that contact.
 */
export class ClinicPhoneField extends PhoneField {
    static template = "clinic_telephony.ClinicPhoneField";
    static components = { ...PhoneField.components, ClickToCallButton };
    static props = {
        ...PhoneField.props,
        partnerField: { type: String, optional: true },
    };

    get partnerId() {
        const { partnerField, record } = this.props;
        if (partnerField) {
            const value = record.data[partnerField];
            return value ? value[0] : false;
        }
        return record.resModel === "res.partner" && record.resId ? record.resId : false;
    }
}

export class ClinicFormPhoneField extends ClinicPhoneField {
    static template = "clinic_telephony.ClinicFormPhoneField";
}

export const clinicPhoneField = {
    ...phoneField,
    component: ClinicPhoneField,
    displayName: _t("Phone with click-to-call"),
    supportedOptions: [
        {
            label: _t("Patient field"),
            name: "partner_field",
            type: "field",
            availableTypes: ["many2one"],
        },
    ],
    extractProps: ({ attrs, options }) => ({
        placeholder: attrs.placeholder,
        partnerField: options.partner_field,
    }),
};

registry.category("fields").add("clinic_phone", clinicPhoneField);
registry
    .category("fields")
    .add("form.clinic_phone", { ...clinicPhoneField, component: ClinicFormPhoneField });
