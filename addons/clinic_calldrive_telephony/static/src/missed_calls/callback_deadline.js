import { Component, onWillUnmount, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * A missed call's call-back deadline (T16): green while there is time, red once it
 * passed. A local timer flips the colour at the deadline; nothing is asked from the
 * server for that.
 */
export class CallbackDeadline extends Component {
    static template = "clinic_calldrive_telephony.CallbackDeadline";
    static props = { ...standardFieldProps };

    setup() {
        this.state = useState({ now: luxon.DateTime.now() });
        this.timer = false;
        onWillUnmount(() => browser.clearTimeout(this.timer));
    }

    get deadline() {
        return this.props.record.data[this.props.name];
    }

    get overdue() {
        const deadline = this.deadline;
        if (!deadline) {
            return false;
        }
        const left = deadline.diff(this.state.now).as("milliseconds");
        browser.clearTimeout(this.timer);
        if (left > 0) {
            this.timer = browser.setTimeout(() => {
                this.state.now = luxon.DateTime.now();
            }, left + 50);
        }
        return left <= 0;
    }

    get label() {
        return this.deadline ? formatDateTime(this.deadline, { format: "HH:mm" }) : "";
    }

    get title() {
        return this.overdue ? _t("Call-back deadline passed") : _t("Call back by this time");
    }
}

registry.category("fields").add("clinic_callback_deadline", {
    component: CallbackDeadline,
    displayName: _t("Call-back deadline"),
    supportedTypes: ["datetime"],
});
