import { registry } from "@web/core/registry";

/** Bus-driven steps wait longer than the default 10 s: the Python side pushes in between. */
const LIVE = 30000;

const chooseShiftPhone = (name) => [
    {
        content: "The shift dialog opens on the first login of the day",
        trigger: ".o_clinic_shift_dialog",
    },
    {
        content: `Pick ${name}`,
        trigger: `.o_clinic_shift_phone:contains("${name}") input`,
        run: "click",
    },
    {
        trigger: ".o_clinic_shift_save:enabled",
        run: "click",
    },
    {
        content: "The bottom control shows the shift's phone",
        trigger: `body:not(:has(.o_clinic_shift_dialog)) .o_clinic_shift_control:contains("${name}")`,
    },
];

registry.category("web_tour.tours").add("clinic_telephony_incoming_card_tour", {
    steps: () => [
        ...chooseShiftPhone("Desk 1"),
        {
            content: "An incoming call from a known patient pops up bottom-left",
            trigger: ".o_clinic_call_card.o_clinic_call_ringing:contains(Anna Schmidt)",
            timeout: LIVE,
        },
        {
            content: "Birth date and number are shown; the name is not a link before answering",
            trigger:
                ".o_clinic_call_ringing:has(.o_clinic_call_birthdate):has(.o_clinic_call_number:contains(1234567)) span.o_clinic_call_patient",
        },
        {
            content: "No booking buttons while it rings",
            trigger: ".o_clinic_call_ringing:not(:has(.o_clinic_call_book))",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_no_card_tour", {
    steps: () => [
        {
            trigger: '.o_clinic_shift_control:contains("Desk 2")',
        },
        {
            content: "A colleague's ringing call shows no card here",
            trigger: "body:not(:has(.o_clinic_call_card))",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_click_to_call_tour", {
    steps: () => [
        {
            content: "A phone icon sits beside the patient's number",
            trigger: ".o_field_widget[name=phone] .o_clinic_click_to_call",
        },
        {
            content: "Call from the top of the patient form",
            trigger: ".o-form-buttonbox .o_clinic_call_button",
            run: "click",
        },
        {
            content: "The outgoing call gets its own card, with the orange icon",
            trigger: ".o_clinic_call_card.o_clinic_call_outgoing:contains(Anna Schmidt)",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_paused_tour", {
    steps: () => [
        {
            content: "The bottom control shows the paused state",
            trigger: ".o_clinic_shift_control.o_clinic_telephony_paused:contains(Telephony paused)",
        },
        {
            content: "Call the number beside it",
            trigger: ".o_field_widget[name=phone] .o_clinic_click_to_call",
            run: "click",
        },
        {
            content: "The refusal shows in the red banner at the top",
            trigger: ".o_clinic_call_failure:contains(paused)",
        },
        {
            trigger: "body:not(:has(.o_clinic_call_card))",
        },
    ],
});
