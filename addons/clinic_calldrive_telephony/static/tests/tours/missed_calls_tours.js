import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("clinic_missed_calls_deadline_tour", {
    steps: () => [
        {
            content: "A number missed a moment ago: within the deadline, green",
            trigger:
                ".o_data_row:contains(Anna Schmidt) .o_clinic_callback_deadline.text-bg-success",
        },
        {
            content: "A number missed long ago: past the deadline, red",
            trigger: ".o_data_row:contains(Boris Ivanov) .o_clinic_callback_overdue",
        },
        {
            content: "Each row can be called back",
            trigger: ".o_data_row:contains(Anna Schmidt) .o_clinic_call_back",
        },
    ],
});
