import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("clinic_call_tag_popup_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The tag popup opens when the call ends",
            trigger: ".o_clinic_call_tag_dialog",
        },
        {
            content: "It has no close button",
            trigger: ".o_clinic_call_tag_dialog:not(:has(.btn-close))",
        },
        {
            content: "Escape does not dismiss it",
            trigger: ".o_clinic_call_tag_dialog",
            run: "press Escape",
        },
        {
            content: "Still open; without a tag it cannot be saved",
            trigger: ".o_clinic_call_tag_dialog .o_clinic_tag_save:disabled",
        },
        {
            content: "Choose 'Other tag'",
            trigger: ".o_clinic_call_tag_dialog #o_clinic_tag_other",
            run: "check",
        },
        {
            content: "An empty comment is not enough",
            trigger: ".o_clinic_call_tag_dialog .o_clinic_tag_save:disabled",
        },
        {
            trigger: ".o_clinic_call_tag_dialog .o_clinic_tag_comment",
            run: "edit Asked about parking",
        },
        {
            trigger: '.o_clinic_call_tag_dialog .o_clinic_tag:contains("Price")',
            run: "click",
        },
        {
            trigger: '.o_clinic_call_tag_dialog .o_clinic_tag.o_selected:contains("Price")',
        },
        {
            trigger: ".o_clinic_call_tag_dialog .o_clinic_tag_save:enabled",
            run: "click",
        },
        {
            content: "Saved: the popup closes",
            trigger: "body:not(:has(.o_clinic_call_tag_dialog))",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_effectiveness_report_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Clinic app",
            trigger: '.o_app[data-menu-xmlid="clinic_base.menu_clinic_root"]',
            run: "click",
        },
        {
            trigger: '.o_menu_sections button:contains("Reporting")',
            run: "click",
        },
        {
            trigger: '.dropdown-item:contains("Administrator effectiveness")',
            run: "click",
        },
        {
            content: "One row per administrator",
            trigger: '.o_pivot th:contains("Tour Admin Olga")',
        },
        {
            content: "Calls, bookings and conversion of the month",
            trigger: '.o_pivot tr:has(th:contains("Tour Admin Olga")) td:eq(0):contains("2")',
        },
        {
            trigger: '.o_pivot tr:has(th:contains("Tour Admin Olga")) td:eq(1):contains("1")',
        },
        {
            trigger: '.o_pivot tr:has(th:contains("Tour Admin Olga")) td:eq(2):contains("50.00")',
        },
        {
            content: "Total talk time 0:03 (60 s + 120 s), average 1:30 min",
            trigger: '.o_pivot tr:has(th:contains("Tour Admin Olga")) td:eq(3):contains("00:03")',
        },
    ],
});

/** Bus-driven steps wait longer than the default 10 s: Python pushes the hang-up. */
const LIVE = 30000;

/** Give a popup that should not come the time to come (bus, then one RPC). */
const pause = () => new Promise((resolve) => setTimeout(resolve, 2000));

/** During the call: Book appointment on the card, a free slot, the prefilled form. */
const bookDuringCall = [
    {
        content: "Talking: book from the call card",
        trigger: ".o_clinic_call_talking .o_clinic_call_book",
        run: "click",
    },
    {
        trigger: '.o_calendar_view .fc-timegrid-slot-lane[data-time="10:00:00"]',
        run: "click",
    },
    {
        content: "The booking form is open (the call ends now, from Python)",
        trigger: '.o_form_view .o_field_widget[name=patient_id] input:value("Anna Schmidt")',
    },
    {
        content: "Hang-up while the form is on screen",
        trigger: ".o_clinic_call_completed",
        timeout: LIVE,
    },
    {
        content: "No popup over the form",
        trigger: ".o_form_view",
        run: pause,
    },
];

registry.category("web_tour.tours").add("clinic_call_tag_booking_saved_tour", {
    steps: () => [
        ...bookDuringCall,
        {
            content: "The form is still usable: save the booking after hang-up (T7 c)",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
            run: pause,
        },
        {
            content: "Booked: in mode 'only when no booking was made' nobody asks",
            trigger: "body:not(:has(.o_clinic_call_tag_dialog)) .o_form_saved",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_call_tag_booking_left_tour", {
    steps: () => [
        ...bookDuringCall,
        {
            content: "No booking after all: discard the form",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            content: "Now the popup asks why",
            trigger: '.o_clinic_call_tag_dialog .o_clinic_tag:contains("Price")',
            run: "click",
        },
        {
            trigger: ".o_clinic_call_tag_dialog .o_clinic_tag_save:enabled",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o_clinic_call_tag_dialog))",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_manager_settings_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "The head of front desk opens the Clinic app",
            trigger: '.o_app[data-menu-xmlid="clinic_base.menu_clinic_root"]',
            run: "click",
        },
        {
            // not the Configuration menu of the app shown before (Discuss)
            content: "The Clinic app is up",
            trigger: ".o_menu_brand:contains(Clinic)",
        },
        {
            trigger: ".o_action_manager .o_view_controller",
        },
        {
            trigger:
                '.o_menu_sections button:contains("Configuration"), .o_menu_sections a:contains("Configuration")',
            run: "click",
        },
        {
            content: "Configuration › Settings",
            trigger: '.dropdown-item:contains("Settings")',
            run: "click",
        },
        {
            content: "The clinic's, telephony's and call tags' blocks are there",
            trigger:
                ".o_clinic_settings:has(.o_setting_box#clinic_tz):has(.o_setting_box#clinic_telephony_paused):has(.o_setting_box#clinic_call_tags)",
        },
        {
            content: "Pause telephony",
            trigger: ".o_setting_box#clinic_telephony_paused button[name=action_pause_telephony]",
            run: "click",
        },
        {
            content: "after confirming",
            trigger: ".modal:contains(Operators get no call cards) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The screen shows who paused",
            trigger:
                ".o_setting_box#clinic_telephony_paused .o_clinic_telephony_paused_info:contains(Sabine Head)",
        },
        {
            content: "Switch call tags on",
            trigger: ".o_setting_box#clinic_call_tags .o_field_boolean input",
            run: "click",
        },
        {
            content: "Ask after every call",
            trigger: ".o_field_widget[name=clinic_call_tag_mode] input[data-value=always]",
            run: "click",
        },
        {
            trigger: ".o_control_panel .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the screen shows the company's new values",
            trigger:
                "body:not(:has(.o_dirty_warning)) .o_setting_box#clinic_call_tags .o_field_boolean input:checked",
        },
        {
            trigger: ".o_field_widget[name=clinic_call_tag_mode] input[data-value=always]:checked",
        },
    ],
});
