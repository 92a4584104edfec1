import { registry } from "@web/core/registry";

/** Bus-driven steps wait longer than the default 10 s: the Python side pushes in between. */
const LIVE = 30000;

/**
 * The shift dialog steps. In real-time tours the Python side acts as soon as the
 * phone is taken, and may change the control at once: ``checkControl`` false.
 */
const chooseShiftPhone = (name, { checkControl = true } = {}) => [
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
        content: "The dialog closes; the bottom control shows the shift's phone",
        trigger: checkControl
            ? `body:not(:has(.o_clinic_shift_dialog)) .o_clinic_shift_control:contains("${name}")`
            : "body:not(:has(.o_clinic_shift_dialog)) .o_clinic_shift_control",
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

registry.category("web_tour.tours").add("clinic_telephony_book_appointment_tour", {
    steps: () => [
        ...chooseShiftPhone("Desk 1"),
        {
            content: "Once answered, the name links to the patient",
            trigger: ".o_clinic_call_talking:contains(Anna Schmidt) a.o_clinic_call_patient",
            timeout: LIVE,
        },
        {
            content: "A known patient needs no 'Add patient'",
            trigger: ".o_clinic_call_talking:not(:has(.o_clinic_call_add_patient))",
        },
        {
            content: "Book an appointment from the card",
            trigger: ".o_clinic_call_talking .o_clinic_call_book",
            run: "click",
        },
        {
            content: "The schedule opens: pick a free slot",
            trigger: '.o_calendar_view .fc-timegrid-slot-lane[data-time="10:00:00"]',
            run: "click",
        },
        {
            content: "The appointment form is prefilled with the caller",
            trigger: '.o_form_view .o_field_widget[name=patient_id] input:value("Anna Schmidt")',
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The event is saved",
            trigger:
                ".o_form_view .o_form_status_indicator:not(.o_form_status_indicator_new_record)",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_add_patient_tour", {
    steps: () => [
        {
            content: "The call in progress is shown on arrival: number only, unknown caller",
            trigger:
                ".o_clinic_call_talking:not(:has(.o_clinic_call_patient)) .o_clinic_call_number:contains(5550001)",
        },
        {
            trigger: ".o_clinic_call_talking .o_clinic_call_book",
        },
        {
            content: "Register the caller",
            trigger: ".o_clinic_call_talking .o_clinic_call_add_patient",
            run: "click",
        },
        {
            content: "The new patient's form carries the number",
            trigger: ".o_form_view .o_field_widget[name=phone] input:value(5550001)",
        },
        {
            trigger: ".o_field_widget[name=name] input, .o_field_widget[name=name] textarea",
            run: "edit Paula Neu",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The event is saved",
            trigger:
                ".o_form_view .o_form_status_indicator:not(.o_form_status_indicator_new_record)",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_missed_card_tour", {
    steps: () => [
        ...chooseShiftPhone("Desk 1"),
        {
            content: "A missed call leaves a card with the patient's name as a link",
            trigger:
                ".o_clinic_call_missed:contains(Missed call) a.o_clinic_call_patient:contains(Anna Schmidt)",
            timeout: LIVE,
        },
        {
            content: "It can be closed with ×; left alone, it stays a while",
            trigger: ".o_clinic_call_missed .o_clinic_call_close",
            async run() {
                await new Promise((resolve) => setTimeout(resolve, 3000));
            },
        },
        {
            content: "Still there after 3 seconds",
            trigger: ".o_clinic_call_missed:contains(Anna Schmidt)",
        },
        {
            content: "Without ×, the missed card goes away after 10 seconds",
            trigger: "body:not(:has(.o_clinic_call_card))",
            timeout: 15000,
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_more_on_the_line_tour", {
    steps: () => [
        ...chooseShiftPhone("Desk 1"),
        {
            content: "Talking to an unknown patient while another call rings",
            trigger:
                ".o_clinic_call_talking:has(.o_clinic_call_unknown) .o_clinic_call_waiting:contains(1 more on the line)",
            timeout: LIVE,
        },
        {
            content: "Only the call in progress has a card",
            trigger: ".o_clinic_telephony_dock:not(:has(.o_clinic_call_ringing))",
        },
        {
            content: "Pick the caller among the patients with this number",
            trigger: ".o_clinic_call_talking select.o_clinic_call_chooser",
            async run(helpers) {
                const option = [...this.anchor.options].find((o) =>
                    o.textContent.includes("Lena Wolf")
                );
                await helpers.select(option.value);
            },
        },
        {
            content: "The card shows the patient chosen",
            // the test ends the call as soon as the choice is saved: on a loaded machine
            // the card may already be the finished one when this step looks
            trigger: [".o_clinic_call_talking", ".o_clinic_call_completed"]
                .map((card) => `${card} a.o_clinic_call_patient:contains(Lena Wolf)`)
                .join(", "),
        },
        {
            content: "The call ends: its card says so, and the waiting call comes next",
            trigger: ".o_clinic_call_completed:contains(Lena Wolf)",
            timeout: LIVE,
        },
        {
            trigger:
                ".o_clinic_call_ringing:contains(Anna Schmidt):not(:has(.o_clinic_call_waiting))",
        },
        {
            content: "Close the finished card with ×",
            trigger: ".o_clinic_call_completed .o_clinic_call_close",
            run: "click",
        },
        {
            trigger: ".o_clinic_telephony_dock:not(:has(.o_clinic_call_completed))",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_takeover_tour", {
    steps: () => [
        {
            content: "With a single phone, the dialog warns: one administrator per shift",
            trigger: ".o_clinic_shift_dialog .o_clinic_single_phone_warning",
        },
        {
            content: "The phone shows who holds it",
            trigger:
                '.o_clinic_shift_phone:contains("Desk 1") .o_clinic_shift_holder:contains(Jonas Desk)',
        },
        {
            trigger: '.o_clinic_shift_phone:contains("Desk 1") input',
            run: "click",
        },
        {
            trigger: ".o_clinic_shift_save:enabled",
            run: "click",
        },
        {
            content: "Taking over asks for confirmation",
            trigger:
                ".modal:contains(Phone in use):contains(Jonas Desk) .btn-primary:contains(Take over)",
            run: "click",
        },
        {
            trigger: 'body:not(:has(.modal)) .o_clinic_shift_control:contains("Desk 1")',
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_no_phone_tour", {
    steps: () => [
        {
            content: "Nothing is chosen yet: Save waits for an answer",
            trigger: ".o_clinic_shift_dialog .o_clinic_shift_save:disabled",
        },
        {
            trigger: ".o_clinic_shift_none input",
            run: "click",
        },
        {
            trigger: ".o_clinic_shift_save:enabled",
            run: "click",
        },
        {
            trigger: 'body:not(:has(.modal)) .o_clinic_shift_control:contains("No telephony")',
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_taken_notice_tour", {
    steps: () => [
        ...chooseShiftPhone("Desk 1", { checkControl: false }),
        {
            content: "A colleague takes the phone over: a notice at the bottom of the screen",
            trigger:
                ".o_clinic_telephony_dock .o_clinic_phone_taken:contains(Jonas Desk):contains(Desk 1)",
            timeout: LIVE,
        },
        {
            trigger: '.o_clinic_shift_control:contains("No telephony")',
        },
    ],
});

const outgoingCardFor = (name) => ({
    content: "The outgoing call gets its own card",
    trigger: `.o_clinic_call_card.o_clinic_call_outgoing:contains(Outgoing call):contains(${name})`,
});

registry.category("web_tour.tours").add("clinic_telephony_appointment_call_tour", {
    steps: () => [
        {
            content: "Call the patient from the appointment",
            trigger: ".o_field_widget[name=patient_phone] .o_clinic_click_to_call",
            run: "click",
        },
        outgoingCardFor("Anna Schmidt"),
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_history_call_tour", {
    steps: () => [
        {
            content: "Call back from the call history",
            trigger: ".o_list_view .o_data_row:contains(Anna Schmidt) .o_clinic_click_to_call",
            run: "click",
        },
        outgoingCardFor("Anna Schmidt"),
    ],
});

/** Click-to-call refused by the PBX: the card closes, the banner says why (T5, T12). */
const failedCallTour = (reason) => ({
    steps: () => [
        {
            trigger: ".o_field_widget[name=phone] .o_clinic_click_to_call",
            run: "click",
        },
        {
            content: "The failure shows in a red banner at the top of the screen, with the reason",
            trigger: `.o_clinic_call_failure.alert-danger:contains(${reason})`,
            // the PBX's 5 s timeout plus a loaded machine
            timeout: 20000,
        },
        {
            content: "No outgoing card stays behind",
            trigger: "body:not(:has(.o_clinic_call_card))",
        },
        {
            trigger: ".o_clinic_call_failure .btn-close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o_clinic_call_failure))",
        },
    ],
});

registry
    .category("web_tour.tours")
    .add("clinic_telephony_failed_call_500_tour", failedCallTour("HTTP 500"))
    .add(
        "clinic_telephony_failed_call_timeout_tour",
        failedCallTour("did not answer within 5 seconds")
    )
    .add("clinic_telephony_failed_call_unreachable_tour", failedCallTour("could not be reached"));

registry.category("web_tour.tours").add("clinic_telephony_simulated_click_to_call_tour", {
    steps: () => [
        {
            content: "Call from the top of the patient form",
            trigger: ".o-form-buttonbox .o_clinic_call_button",
            run: "click",
        },
        outgoingCardFor("Anna Schmidt"),
        {
            content: "The simulated patient answers: the card turns to talking",
            trigger: ".o_clinic_call_card.o_clinic_call_talking:contains(Anna Schmidt)",
            timeout: LIVE,
        },
        {
            content: "The call ends: the card says so",
            trigger: ".o_clinic_call_card.o_clinic_call_completed:contains(Anna Schmidt)",
            timeout: LIVE,
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_history_row_tour", {
    steps: () => [
        {
            content: "The call is in the history: outgoing, to Anna Schmidt",
            trigger: ".o_list_view .o_data_row:contains(Anna Schmidt):contains(Outgoing)",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_aggregator_tour", {
    steps: () => [
        {
            content: "The ringing call is shown on arrival, with the patient",
            trigger: ".o_clinic_call_ringing:contains(Anna Schmidt) .o_clinic_call_hidden",
        },
        {
            content: "but without the number",
            trigger:
                ".o_clinic_call_ringing:not(:has(.o_clinic_call_number)):not(:contains(1234567))",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_paused_live_tour", {
    steps: () => [
        ...chooseShiftPhone("Desk 1", { checkControl: false }),
        {
            content: "A manager pauses telephony: the control says so at once",
            trigger: ".o_clinic_shift_control.o_clinic_telephony_paused:contains(Telephony paused)",
            timeout: LIVE,
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_manager_pause_tour", {
    steps: () => [
        {
            // A main action that loads later would close the confirmation dialog.
            content: "The Clinic app's screen is up",
            trigger: ".o_menu_brand:contains(Clinic)",
        },
        {
            trigger: ".o_action_manager .o_view_controller",
        },
        {
            content: "A manager pauses the clinic's telephony from the control at the bottom",
            trigger: ".o_clinic_telephony_control .o_clinic_telephony_pause",
            run: "click",
        },
        {
            content: "after confirming",
            trigger: ".modal:contains(Operators get no call cards) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The control shows the paused state and who paused",
            trigger: ".o_clinic_shift_control.o_clinic_telephony_paused:contains(Telephony paused)",
        },
        {
            trigger: ".o_clinic_paused_by:contains(by Sabine Head since)",
        },
        {
            content: "Resume",
            trigger: ".o_clinic_telephony_control .o_clinic_telephony_resume",
            run: "click",
        },
        {
            trigger: ".modal:contains(Resume telephony?) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Running again",
            trigger:
                "body:not(:has(.modal)) .o_clinic_shift_control:not(.o_clinic_telephony_paused):contains(Telephony on)",
        },
        {
            trigger: "body:not(:has(.o_clinic_paused_by))",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_paused_by_manager_live_tour", {
    steps: () => [
        ...chooseShiftPhone("Desk 1", { checkControl: false }),
        {
            content: "The manager pauses: the control says so at once, with who paused",
            trigger: ".o_clinic_shift_control.o_clinic_telephony_paused:contains(Telephony paused)",
            timeout: LIVE,
        },
        {
            trigger: ".o_clinic_paused_by:contains(by Sabine Head)",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_telephony_calendar_first_tour", {
    steps: () => [
        {
            content: "Calendar opens without the shift question covering it",
            trigger: ".o_calendar_view .fc-event-main:contains(Team meeting)",
        },
        {
            content: "The control at the bottom asks for the phone instead",
            trigger:
                "body:not(:has(.modal)) .o_clinic_shift_control.o_clinic_shift_question:contains(Choose your phone)",
        },
        {
            content: "The user works in Calendar: opens the meeting",
            trigger: "a .fc-event-main:contains(Team meeting)",
            run: "click",
        },
        {
            trigger: ".o_cw_popover:contains(Team meeting)",
        },
        {
            content: "and creates an event",
            trigger: ".o-calendar-button-new",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input, .o_field_widget[name=name] textarea",
            run: "edit Supplier call",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The event is saved",
            trigger:
                ".o_form_view .o_form_status_indicator:not(.o_form_status_indicator_new_record)",
        },
        {
            content: "Then answers the question from the bottom control",
            trigger: ".o_clinic_shift_control.o_clinic_shift_question",
            run: "click",
        },
        ...chooseShiftPhone("Desk 1"),
    ],
});
