import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { partnerOfRecord } from "./partner_of_record";

/**
 * Click-to-call for a record (T5): dials the first filled number among the
 * fields named in the ``number_fields`` option, in that order: a "Call" stat
 * button at the top of a form.
 */
export class CallButtonWidget extends Component {
    static template = "clinic_telephony.CallButtonWidget";
    static props = {
        ...standardWidgetProps,
        numberFields: { type: Array, element: String },
        partnerField: { type: String, optional: true },
    };

    setup() {
        this.telephony = useState(useService("clinic_telephony"));
    }

    get number() {
        const { numberFields, record } = this.props;
        const field = numberFields.find((name) => record.data[name]);
        return field ? record.data[field] : false;
    }

    get partnerId() {
        return partnerOfRecord(this.props.record, this.props.partnerField);
    }

    onClick() {
        return this.telephony.dial(this.number, this.partnerId);
    }
}

registry.category("view_widgets").add("clinic_call_button", {
    component: CallButtonWidget,
    extractProps: ({ options }) => ({
        numberFields: options.number_fields || ["phone"],
        partnerField: options.partner_field,
    }),
    supportedOptions: [
        { label: _t("Number fields"), name: "number_fields", type: "string" },
        { label: _t("Patient field"), name: "partner_field", type: "string" },
    ],
});
