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
            trigger:
                '.o_pivot tr:has(th:contains("Tour Admin Olga")) td:eq(0):contains("2")',
        },
        {
            trigger: '.o_pivot tr:has(th:contains("Tour Admin Olga")) td:eq(1):contains("1")',
        },
        {
            trigger:
                '.o_pivot tr:has(th:contains("Tour Admin Olga")) td:eq(2):contains("50.00")',
        },
        {
            content: "Total talk time 0:03 (60 s + 120 s), average 1:30 min",
            trigger:
                '.o_pivot tr:has(th:contains("Tour Admin Olga")) td:eq(3):contains("00:03")',
        },
    ],
});
