import { Component, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * "Call" at the top of a patient's form (T5): dials the first filled number
 * among the fields named in the ``number_fields`` option, in that order.
 */
export class CallButtonWidget extends Component {
    static template = "clinic_telephony.CallButtonWidget";
    static props = {
        ...standardWidgetProps,
        numberFields: { type: Array, element: String },
    };

    setup() {
        this.telephony = useState(useService("clinic_telephony"));
    }

    get number() {
        const { numberFields, record } = this.props;
        const field = numberFields.find((name) => record.data[name]);
        return field ? record.data[field] : false;
    }

    onClick() {
        return this.telephony.dial(this.number, this.props.record.resId || false);
    }
}

registry.category("view_widgets").add("clinic_call_button", {
    component: CallButtonWidget,
    extractProps: ({ options }) => ({ numberFields: options.number_fields || ["phone"] }),
});
