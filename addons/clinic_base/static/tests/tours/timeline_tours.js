import { registry } from "@web/core/registry";

/** Open the patient's "Communication" tab, open the first entry of ``channel`` and
 * check the record of ``model`` opened, then come back to the patient. */
function openEntry(channel, model) {
    return [
        {
            content: "Open the Communication tab",
            trigger: ".o_notebook .nav-link:contains('Communication')",
            run: "click",
        },
        {
            content: `Open the first ${channel} entry`,
            trigger: `.o_clinic_timeline_${channel}[data-model='${model}'] .o_clinic_timeline_open`,
            run: "click",
        },
        {
            content: `The ${model} record is open, the patient one level up`,
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Anna Schmidt')",
            async run() {
                // the router writes the record's path once the action is shown
                const opened = () => decodeURIComponent(window.location.pathname).includes(model);
                for (let tries = 0; tries < 50 && !opened(); tries++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                if (!opened()) {
                    throw new Error(`Expected a ${model} record, got ${window.location.pathname}`);
                }
            },
        },
        {
            content: "Back to the patient",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Anna Schmidt')",
            run: "click",
        },
        {
            content: "The patient's form is back",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Communication')",
        },
    ];
}

// X2: each entry of the timeline opens its record.
registry.category("web_tour.tours").add("clinic_base_timeline_tour", {
    steps: () => [
        ...openEntry("call", "clinic.call"),
        ...openEntry("reminder", "clinic.reminder.reply"),
        ...openEntry("waiting_room", "clinic.waiting.entry"),
        ...openEntry("call_drive", "clinic.call.list.line"),
        {
            content: "The channel filter keeps only the reminders",
            trigger: ".o_notebook .nav-link:contains('Communication')",
            run: "click",
        },
        {
            trigger: ".o_clinic_timeline_filters button[data-channel='reminder']",
            run: "click",
        },
        {
            trigger:
                ".o_clinic_timeline:not(:has(.o_clinic_timeline_call)) .o_clinic_timeline_reminder",
        },
    ],
});
