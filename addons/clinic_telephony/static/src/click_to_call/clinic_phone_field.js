import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { PhoneField, phoneField } from "@web/views/fields/phone/phone_field";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { ClickToCallButton } from "./click_to_call_button";
import { partnerOfRecord } from "./partner_of_record";

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
        return partnerOfRecord(this.props.record, this.props.partnerField);
    }
}

export class ClinicFormPhoneField extends ClinicPhoneField {
    static template = "clinic_telephony.ClinicFormPhoneField";
}

/** Only the click-to-call icon, e.g. in the call history beside the number shown. */
export class ClickToCallField extends Component {
    static template = "clinic_telephony.ClickToCallField";
    static components = { ClickToCallButton };
    static props = {
        ...standardFieldProps,
        partnerField: { type: String, optional: true },
    };

    get partnerId() {
        return partnerOfRecord(this.props.record, this.props.partnerField);
    }
}

const partnerFieldOption = {
    label: _t("Patient field"),
    name: "partner_field",
    type: "field",
    availableTypes: ["many2one"],
};

export const clinicPhoneField = {
    ...phoneField,
    component: ClinicPhoneField,
    displayName: _t("Phone with click-to-call"),
    supportedOptions: [partnerFieldOption],
    extractProps: ({ attrs, options }) => ({
        placeholder: attrs.placeholder,
        partnerField: options.partner_field,
    }),
};

registry.category("fields").add("clinic_phone", clinicPhoneField);
registry
    .category("fields")
    .add("form.clinic_phone", { ...clinicPhoneField, component: ClinicFormPhoneField });
registry.category("fields").add("clinic_call_icon", {
    component: ClickToCallField,
    displayName: _t("Click-to-call icon"),
    supportedTypes: ["char"],
    supportedOptions: [partnerFieldOption],
    extractProps: ({ options }) => ({ partnerField: options.partner_field }),
});
