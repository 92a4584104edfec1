import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * The call's recording, played from Odoo's own copy (T15): the audio element asks
 * the access-checked route with HTTP Range, so the browser never learns where the
 * phone system keeps it.
 */
export class RecordingPlayer extends Component {
    static template = "clinic_telephony.RecordingPlayer";
    static props = { ...standardFieldProps };

    get src() {
        return `/clinic/telephony/recording/${this.props.record.resId}`;
    }
}

registry.category("fields").add("clinic_recording_player", {
    component: RecordingPlayer,
    displayName: _t("Call recording player"),
    supportedTypes: ["boolean"],
});
