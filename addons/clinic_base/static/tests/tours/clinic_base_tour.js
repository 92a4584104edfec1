import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const tomorrowAtTen = () => {
    const d = new Date(Date.now() + 24 * 3600 * 1000);
    const pad = (n) => String(n).padStart(2, "0");
    return `${pad(d.getMonth() + 1)}/${pad(d.getDate())}/${d.getFullYear()} 10:00:00`;
};

registry.category("web_tour.tours").add("clinic_base_patient_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Clinic app",
            trigger: '.o_app[data-menu-xmlid="clinic_base.menu_clinic_root"]',
            run: "click",
        },
        {
            content: "Go to Patients",
            trigger:
                '.o_menu_sections button:contains("Front desk"), .o_menu_sections a:contains("Front desk")',
            run: "click",
        },
        {
            trigger: '.dropdown-item:contains("Patients")',
            run: "click",
        },
        {
            content: "Create a patient",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            // partner_autocomplete (auto-installed) turns the name into an input.
            trigger: ".o_field_widget[name=name] input, .o_field_widget[name=name] textarea",
            run: "edit Tour Patient Gerda",
        },
        {
            content: "The patient flag is preset",
            trigger: ".o_field_widget[name=is_patient] input:checked",
        },
        {
            trigger: ".o_field_widget[name=birthdate] input",
            run: "edit 03/04/1950",
        },
        {
            trigger: ".o_field_widget[name=phone] input",
            run: "edit 030 111 22 33",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Open the patient's appointments",
            trigger: ".o-form-buttonbox button[name=action_open_appointments]",
            run: "click",
        },
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The booking form knows the patient",
            trigger: '.o_field_widget[name=patient_id] input:value("Tour Patient Gerda")',
        },
        {
            trigger: "#start_0",
            run: `edit ${tomorrowAtTen()}`,
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger:
                ".o_form_saved .o_field_widget[name=clinic_state] .o_arrow_button_current:contains(Booked)",
        },
    ],
});
