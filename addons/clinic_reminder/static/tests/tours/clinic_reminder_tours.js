import { registry } from "@web/core/registry";

const row = (colour, name) => `.o_clinic_reminder_${colour}:contains("${name}")`;

// C5/C6: the operator's coloured reminder list; double-click marks pink and back.
registry.category("web_tour.tours").add("clinic_reminder_list_tour", {
    url: "/odoo/action-clinic_reminder.action_reminder_lines",
    steps: () => [
        { content: "Delivered, link not opened", trigger: row("blue", "Tina Blue") },
        { content: "Confirmed through the link", trigger: row("green", "Gus Green") },
        { content: "Chose to cancel", trigger: row("red", "Rita Red") },
        {
            content: "Double-click marks the row as handled",
            trigger: `${row("grey", "Greta Grey")} td[name=partner_id]`,
            run: "dblclick",
        },
        { content: "Pink now", trigger: row("pink", "Greta Grey") },
        {
            content: "Double-click again unmarks it",
            trigger: `${row("pink", "Greta Grey")} td[name=partner_id]`,
            run: "dblclick",
        },
        { trigger: row("grey", "Greta Grey") },
        {
            trigger: `${row("grey", "Greta Grey")} td[name=partner_id]`,
            run: "dblclick",
        },
        { trigger: row("pink", "Greta Grey") },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: '.o_filter_menu .o_menu_item:contains("Needs a call")',
            run: "click",
        },
        {
            content: "Only the rows to call are left",
            trigger: `.o_list_table:has(${row("blue", "Tina Blue")}):has(${row("red", "Rita Red")}):not(:has(.o_data_row:contains("Gus Green"))):not(:has(.o_data_row:contains("Greta Grey")))`,
        },
    ],
});

// C8: the patient's page choices.
registry.category("web_tour.tours").add("clinic_reminder_response_tour", {
    steps: () => [
        { content: "The appointment is shown", trigger: ".o_clinic_reminder_when" },
        { trigger: "button.o_clinic_reminder_reschedule", run: "click" },
        { content: "Asked for another time", trigger: ".alert-warning.o_clinic_reminder_done" },
        { trigger: "button.o_clinic_reminder_confirm", run: "click" },
        { content: "Confirmed", trigger: ".alert-success.o_clinic_reminder_done" },
    ],
});

// C6 on the call drive's operator screen.
registry.category("web_tour.tours").add("clinic_reminder_operator_tour", {
    steps: () => [
        {
            content: "Reminder rows are coloured",
            trigger: `.o_clinic_call_row${row("blue", "Tina Blue")}`,
        },
        { trigger: `.o_clinic_call_row${row("green", "Gus Green")}` },
        {
            content: "Double-click marks the row",
            trigger: `.o_clinic_call_row${row("grey", "Greta Grey")}`,
            run: "dblclick",
        },
        { content: "Pink now", trigger: `.o_clinic_call_row${row("pink", "Greta Grey")}` },
        {
            content: "Double-click again unmarks it",
            trigger: `.o_clinic_call_row${row("pink", "Greta Grey")}`,
            run: "dblclick",
        },
        { trigger: `.o_clinic_call_row${row("grey", "Greta Grey")}` },
        { trigger: `.o_clinic_call_row${row("grey", "Greta Grey")}`, run: "dblclick" },
        { trigger: `.o_clinic_call_row${row("pink", "Greta Grey")}` },
        {
            content: "Show only the rows that need a call",
            trigger: '.o_clinic_call_row_filter[data-filter=needs_call]:contains("Needs a call")',
            run: "click",
        },
        {
            content: "Confirmed and handled rows are gone",
            trigger: `.o_clinic_call_rows:has(${row("blue", "Tina Blue")}):has(${row("red", "Rita Red")}):not(:has(.o_clinic_call_row:contains("Gus Green"))):not(:has(.o_clinic_call_row:contains("Greta Grey")))`,
        },
        {
            content: "Marking a row handled takes it off the filtered list",
            trigger: `.o_clinic_call_row${row("blue", "Tina Blue")}`,
            run: "dblclick",
        },
        {
            trigger: `.o_clinic_call_rows:has(${row("red", "Rita Red")}):not(:has(.o_clinic_call_row:contains("Tina Blue")))`,
        },
        {
            content: "Filter off: every row again",
            trigger: ".o_clinic_call_row_filter.active[data-filter=needs_call]",
            run: "click",
        },
        { trigger: `.o_clinic_call_row${row("pink", "Tina Blue")}` },
        { trigger: `.o_clinic_call_row${row("green", "Gus Green")}` },
    ],
});

// C7, C15: the follow-up's finish dialog says the comment is required and refuses a
// blank one before asking the server, which would refuse it the same way.
registry.category("web_tour.tours").add("clinic_reminder_followup_finish_tour", {
    steps: () => [
        { trigger: '.o_clinic_call_row:contains("Anna Schmidt")', run: "click" },
        { trigger: '.o_clinic_call_patient:contains("Anna Schmidt")' },
        { content: "Start call (manual mode)", trigger: ".o_clinic_call_start", run: "click" },
        { trigger: '.o_clinic_call_lock:contains("You are processing this row")' },
        { trigger: ".o_clinic_call_finish", run: "click" },
        {
            content: "Every follow-up result needs a comment: the dialog says so at once",
            trigger: '.modal .o_clinic_call_comment_label:contains("Comment (required)")',
        },
        { trigger: '.modal .o_clinic_call_result:contains("Will come")', run: "click" },
        { trigger: ".modal .o_clinic_call_comment", run: "edit    " },
        { trigger: ".modal .o_clinic_call_finish_confirm", run: "click" },
        {
            content: "A blank comment is refused in the dialog",
            trigger:
                '.modal .text-danger:contains("A comment is required for the result Will come")',
        },
        { trigger: ".modal .o_clinic_call_comment", run: "edit Answered, will come at 9" },
        { trigger: ".modal .o_clinic_call_finish_confirm", run: "click" },
        {
            content: "The row is done and leaves the list",
            trigger:
                '.o_clinic_call_rows:not(:has(.modal)):not(:has(.o_clinic_call_row:contains("Anna Schmidt")))',
        },
    ],
});

// C12: a patient's reply colours the row; "да" is offered as Confirm; one click applies it.
registry.category("web_tour.tours").add("clinic_reminder_reply_tour", {
    url: "/odoo/action-clinic_reminder.action_reminder_lines",
    steps: () => [
        {
            content: "The row of the patient who replied has its own colour and the reply",
            trigger: `${row("purple", "Rosa Reply")} td[name=reminder_reply_text]:contains("да")`,
        },
        {
            content: "Nothing suggested for a row without a reply",
            trigger: `${row("grey", "Paul Plain")}:not(:has(button[name=action_reminder_reply_confirm]))`,
        },
        {
            content: "The reply means yes: Confirm, in one click",
            trigger: `${row("purple", "Rosa Reply")} button[name=action_reminder_reply_confirm]`,
            run: "click",
        },
        { content: "Confirmed", trigger: row("green", "Rosa Reply") },
        {
            content: "No reply left to apply",
            trigger: `${row("green", "Rosa Reply")}:not(:has(button[name=action_reminder_reply_confirm]))`,
        },
    ],
});

// C12 on the operator screen: the replies to read are counted in the header and filtered.
registry.category("web_tour.tours").add("clinic_reminder_replied_filter_tour", {
    steps: () => [
        { trigger: `.o_clinic_call_row${row("purple", "Rosa Reply")}` },
        {
            content: "One reply to read, counted in the header",
            trigger:
                ".o_clinic_call_row_filter[data-filter=replied]:contains(Replied) .o_clinic_reminder_filter_count:contains(1)",
            run: "click",
        },
        {
            content: "Only the replied row is left",
            trigger: `.o_clinic_call_rows:has(${row("purple", "Rosa Reply")}):not(:has(.o_clinic_call_row:contains("Paul Plain")))`,
        },
    ],
});
