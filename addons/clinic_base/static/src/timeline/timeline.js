import { Component, onWillStart, useState } from "@odoo/owl";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/** Entries asked for at a time; "Show more" asks for the next page. */
export const PAGE_SIZE = 20;

/**
 * X2: the patient's contacts with the clinic, newest first, on the patient form.
 * The server merges the sources of the installed addons the viewer may read
 * (calls, reminders, waiting room, call drives) and pages them with a cursor.
 */
export class ClinicTimeline extends Component {
    static template = "clinic_base.Timeline";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ channels: [], selected: [], entries: [], cursor: null });
        onWillStart(() => this.load());
    }

    async load(more = false) {
        const page = await this.orm.call(
            "res.partner",
            "clinic_get_timeline",
            [[this.props.record.resId]],
            {
                channels: this.state.selected.length ? [...this.state.selected] : null,
                after: more ? this.state.cursor : null,
                limit: PAGE_SIZE,
            }
        );
        this.state.channels = page.channels;
        this.state.entries = more ? [...this.state.entries, ...page.entries] : page.entries;
        this.state.cursor = page.cursor;
    }

    isSelected(channel) {
        return this.state.selected.includes(channel);
    }

    async toggle(channel) {
        const selected = this.state.selected;
        this.state.selected = this.isSelected(channel)
            ? selected.filter((key) => key !== channel)
            : [...selected, channel];
        await this.load();
    }

    channelLabel(channel) {
        const found = this.state.channels.find(([key]) => key === channel);
        return found ? found[1] : channel;
    }

    when(entry) {
        return formatDateTime(deserializeDateTime(entry.date));
    }

    open(entry) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: entry.model,
            res_id: entry.res_id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

registry.category("view_widgets").add("clinic_timeline", { component: ClinicTimeline });
