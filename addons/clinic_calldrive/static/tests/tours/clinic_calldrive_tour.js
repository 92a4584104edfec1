import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("clinic_calldrive_operator_tour", {
    url: "/odoo/call-drive",
    steps: () => [
        {
            content: "Pick tomorrow's confirmation list",
            trigger: '.o_clinic_call_list:contains("Confirmations")',
            run: "click",
        },
        {
            content: "Another operator's lock is visible in the rows",
            trigger:
                '.o_clinic_call_row:contains("Boris Ivanov") .o_clinic_call_row_holder:contains("Otto Operator")',
            run: "click",
        },
        {
            content: "The header names the holder when the row is activated",
            trigger: '.o_clinic_call_lock:contains("Locked by Otto Operator")',
        },
        {
            trigger: ".o_clinic_call_start",
            run: "click",
        },
        {
            content: "Trying to call it names the holder",
            trigger: '.o_notification:contains("Otto Operator is processing this row")',
        },
        {
            content: "Pick a free row",
            trigger: '.o_clinic_call_row:contains("Anna Schmidt")',
            run: "click",
        },
        {
            trigger: '.o_clinic_call_patient:contains("Anna Schmidt")',
        },
        {
            content: "Start call (manual mode)",
            trigger: ".o_clinic_call_start",
            run: "click",
        },
        {
            trigger: '.o_clinic_call_lock:contains("You are processing this row")',
        },
        {
            trigger: ".o_clinic_call_finish",
            run: "click",
        },
        {
            trigger: '.modal .o_clinic_call_result:contains("No answer")',
            run: "click",
        },
        {
            trigger: ".modal .o_clinic_call_comment",
            run: "edit Voicemail, call after five",
        },
        {
            trigger: ".modal .o_clinic_call_finish_confirm",
            run: "click",
        },
        {
            content: "The unsuccessful comment shows on the row",
            trigger: '.o_clinic_call_last_comment:contains("Voicemail, call after five")',
        },
        {
            trigger: ".o_clinic_call_start",
            run: "click",
        },
        {
            trigger: ".o_clinic_call_finish",
            run: "click",
        },
        {
            trigger: '.modal .o_clinic_call_result:contains("Confirmed")',
            run: "click",
        },
        {
            trigger: ".modal .o_clinic_call_finish_confirm",
            run: "click",
        },
        {
            content: "A confirmed row leaves the working list",
            trigger: '.o_clinic_call_rows:not(:has(.o_clinic_call_row:contains("Anna Schmidt")))',
        },
        {
            content: "After a crash: the operator's own row is locked",
            trigger: '.o_clinic_call_row:contains("Carl Weber")',
            run: "click",
        },
        {
            trigger: '.o_clinic_call_lock:contains("You are processing this row")',
        },
        {
            trigger: ".o_clinic_call_abort",
            run: "click",
        },
        {
            content: "Abort processing released the row",
            trigger: ".o_clinic_call_card:not(:has(.o_clinic_call_lock)) .o_clinic_call_start",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_calldrive_release_tour", {
    url: "/odoo/call-drive",
    steps: () => [
        {
            trigger: '.o_clinic_call_list:contains("Confirmations")',
            run: "click",
        },
        {
            content: "A row locked for too long by a colleague who is still online",
            trigger: '.o_clinic_call_row:contains("Boris Ivanov")',
            run: "click",
        },
        {
            content: "The note on the row says so",
            trigger: '.o_clinic_call_last_comment:contains("the next caller may release it")',
        },
        {
            trigger: ".o_clinic_call_lock.alert-danger:contains(Otto Operator)",
        },
        {
            trigger: ".o_clinic_call_start",
            run: "click",
        },
        {
            content: "The caller is offered to release the lock",
            trigger:
                '.modal:contains("Release the lock and call?") button:contains("Release and call")',
            run: "click",
        },
        {
            trigger: '.o_clinic_call_lock:contains("You are processing this row")',
        },
        {
            trigger: '.o_clinic_call_last_comment:contains("released by Olga Operator")',
        },
    ],
});

registry.category("web_tour.tours").add("clinic_calldrive_live_tour", {
    url: "/odoo/call-drive",
    steps: () => [
        {
            trigger: '.o_clinic_call_list:contains("Confirmations")',
            run: "click",
        },
        {
            content: "Nobody is calling Boris yet",
            trigger: '.o_clinic_call_row:contains("Boris Ivanov"):not(:has(.fa-lock))',
            run: "click",
        },
        {
            trigger: ".o_clinic_call_card:not(:has(.o_clinic_call_lock)) .o_clinic_call_start",
        },
        {
            content: "Another operator starts calling Boris: the row shows it live",
            trigger:
                '.o_clinic_call_row:contains("Boris Ivanov") .o_clinic_call_row_holder:contains("Otto Operator")',
            timeout: 20000,
        },
        {
            content: "and so does the header of the selected row",
            trigger: '.o_clinic_call_lock:contains("Locked by Otto Operator")',
        },
    ],
});
