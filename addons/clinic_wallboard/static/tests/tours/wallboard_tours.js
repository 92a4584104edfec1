import { registry } from "@web/core/registry";

// X1: the board changes with a call, an arrival and a reminder answer, never reloading.
registry.category("web_tour.tours").add("clinic_wallboard_live_tour", {
    steps: () => [
        {
            content: "The board is up: desk 1 is free",
            trigger: ".o_clinic_wallboard_phone_idle[data-phone='101']",
            run() {
                // gone if the page reloads: the last step checks it is still there
                window.clinicWallboardNoReload = true;
            },
        },
        {
            content: "A call rings at desk 1, the caller's short name shows",
            trigger:
                ".o_clinic_wallboard_phone_ringing[data-phone='101'] .o_clinic_wallboard_caller:contains('Anna S.')",
        },
        {
            content: "Today's calls count it",
            trigger: ".o_clinic_wallboard_today .o_clinic_wallboard_calls:contains('1')",
        },
        {
            content: "A patient arrives in the waiting room",
            trigger: ".o_clinic_wallboard_patient .o_clinic_wallboard_name:contains('Boris I.')",
        },
        {
            content: "A patient confirms tomorrow's appointment",
            trigger: ".o_clinic_wallboard_confirmed .o_clinic_wallboard_number:contains('1')",
        },
        {
            content: "All of it without reloading the page",
            trigger: ".o_clinic_wallboard",
            run() {
                if (!window.clinicWallboardNoReload) {
                    throw new Error("The wallboard reloaded the page");
                }
            },
        },
    ],
});

// X1: without the Wallboard group the action refuses to show anything.
registry.category("web_tour.tours").add("clinic_wallboard_refused_tour", {
    steps: () => [
        {
            content: "The server refuses the board",
            trigger: ".o_error_dialog:contains('Wallboard group')",
        },
        {
            content: "Nothing of the board shows",
            trigger: "body:not(:has(.o_clinic_wallboard_panel))",
        },
    ],
});
