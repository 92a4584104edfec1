import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

const row = (name) => `.o_clinic_waiting_row:contains(${name})`;

/** What the patient's page sends when they reply (the public route, by token). */
async function patientReplies(name, body) {
    const [entry] = await rpc("/web/dataset/call_kw/clinic.waiting.entry/search_read", {
        model: "clinic.waiting.entry",
        method: "search_read",
        args: [[["patient_id.name", "=", name]], ["patient_url"]],
        kwargs: {},
    });
    await rpc(`${new URL(entry.patient_url).pathname}/post`, { body });
}

/** Front desk registers a newcomer in the waiting room (from another screen). */
async function patientArrives(name) {
    const partnerId = await rpc("/web/dataset/call_kw/res.partner/create", {
        model: "res.partner",
        method: "create",
        args: [{ name, is_patient: true }],
        kwargs: {},
    });
    await rpc("/web/dataset/call_kw/clinic.waiting.entry/create", {
        model: "clinic.waiting.entry",
        method: "create",
        args: [{ patient_id: partnerId }],
        kwargs: {},
    });
}

/** What a staff member does from the dashboard, for the patient-side tour. */
async function staffCalls(name, method, args = []) {
    const [entry] = await rpc("/web/dataset/call_kw/clinic.waiting.entry/search_read", {
        model: "clinic.waiting.entry",
        method: "search_read",
        args: [[["patient_id.name", "=", name]], ["id"]],
        kwargs: {},
    });
    await rpc(`/web/dataset/call_kw/clinic.waiting.entry/${method}`, {
        model: "clinic.waiting.entry",
        method,
        args: [[entry.id], ...args],
        kwargs: {},
    });
}

registry.category("web_tour.tours").add("clinic_waiting_staff_tour", {
    steps: () => [
        {
            content: "W1: everyone in the waiting room is listed",
            trigger: `${row("Anna Schmidt")}[data-status=waiting]`,
        },
        {
            trigger: `${row("Dieter Vogel")}[data-status=in_consultation]`,
        },
        {
            content: "W2: ⋮ on the caller",
            trigger: `${row("Anna Schmidt")} .o_clinic_row_menu`,
            run: "click",
        },
        {
            trigger: ".o_clinic_action_notify",
            run: "click",
        },
        {
            trigger: ".modal .o_clinic_notify_body",
            run: "edit Dr. Weber will see you in 5 minutes",
        },
        {
            content: "Send icon",
            trigger: ".modal .o_clinic_notify_send:enabled",
            run: "click",
        },
        {
            content: "The conversation shows the message",
            trigger: ".modal .o_clinic_notify_message:contains(Dr. Weber will see you)",
        },
        {
            trigger: ".modal .btn-close",
            run: "click",
        },
        {
            content: "W5: one message, last from the clinic -> blue",
            trigger: `${row("Anna Schmidt")} .o_clinic_counter_blue:contains(1)`,
        },
        {
            content: "The patient replies from their page",
            trigger: `${row("Anna Schmidt")}`,
            run: () => patientReplies("Anna Schmidt", "Thank you, I am ready"),
        },
        {
            content: "W5: live over the bus, the counter turns orange",
            trigger: `${row("Anna Schmidt")} .o_clinic_counter_orange:contains(2)`,
        },
        {
            content: "W3: filter the list on hold",
            trigger: ".o_clinic_status_filter",
            run: "select on_hold",
        },
        {
            trigger: `.o_clinic_waiting_list:not(:has(${row("Anna Schmidt")})) ${row("Carla Rossi")}`,
        },
        {
            content: "W3: Notify above the list",
            trigger: ".o_clinic_notify_all",
            run: "click",
        },
        {
            content: "Only the displayed caller is addressed",
            trigger: ".modal .o_clinic_notify_recipients:contains(1)",
        },
        {
            trigger: ".modal .o_clinic_notify_body",
            run: "edit We are running late, sorry",
        },
        {
            trigger: ".modal .o_clinic_notify_send:enabled",
            run: "click",
        },
        {
            trigger: `body:not(:has(.modal)) ${row("Carla Rossi")} .o_clinic_counter_blue:contains(1)`,
        },
        {
            content: "W6: the caller in consultation",
            trigger: ".o_clinic_status_filter",
            run: "select in_consultation",
        },
        {
            trigger: `.o_clinic_waiting_list:not(:has(${row("Carla Rossi")})) ${row("Dieter Vogel")} .o_clinic_row_menu`,
            run: "click",
        },
        {
            content: "W6: Hold",
            trigger: ".o_clinic_action_hold",
            run: "click",
        },
        {
            trigger: `${row("Dieter Vogel")} .o_clinic_hold_flag`,
        },
        {
            trigger: `${row("Dieter Vogel")} .o_clinic_row_menu`,
            run: "click",
        },
        {
            content: "W6: then leave the call",
            trigger: ".o_clinic_action_leave",
            run: "click",
        },
        {
            content: "Dieter is no longer in consultation",
            trigger: `.o_clinic_waiting_list:not(:has(${row("Dieter Vogel")}))`,
        },
        {
            trigger: ".o_clinic_status_filter",
            run: "select on_hold",
        },
        {
            content: "W6: Dieter waits on hold",
            trigger: `${row("Dieter Vogel")}[data-status=on_hold]`,
        },
        {
            content: "W8: a patient arrives while staff watch the list",
            trigger: ".o_clinic_status_filter",
            run: async (helpers) => {
                await helpers.select("");
                await patientArrives("Emil Berger");
            },
        },
        {
            trigger: ".o_notification:contains(Emil Berger arrived in the waiting room)",
        },
        {
            content: "W1: the new caller is listed live",
            trigger: `${row("Emil Berger")}[data-status=waiting]`,
        },
    ],
});

registry.category("web_tour.tours").add("clinic_waiting_patient_tour", {
    steps: () => [
        {
            content: "W4: the waiting screen",
            trigger: ".o_clinic_wait[data-status=waiting] .o_clinic_wait_status_label",
        },
        {
            content: "The clinic writes (staff dashboard, simulated over RPC)",
            trigger: ".o_clinic_wait_compose textarea",
            run: () => staffCalls("Anna Schmidt", "action_notify", ["Please come to room 3"]),
        },
        {
            content: "W4: the message arrives live, with a visible alert",
            trigger: ".o_clinic_wait_from_clinic:contains(Please come to room 3)",
        },
        {
            trigger: ".o_clinic_wait_alert",
            run: "click",
        },
        {
            content: "W4: the patient writes back",
            trigger: ".o_clinic_wait_compose textarea",
            run: "edit <b>On my way</b>",
        },
        {
            trigger: ".o_clinic_wait_send",
            run: "click",
        },
        {
            content: "R3: shown as text, not markup",
            trigger: ".o_clinic_wait_from_patient .o_clinic_wait_text:contains(<b>On my way</b>)",
        },
        {
            content: "W7: staff start the video consultation",
            trigger: ".o_clinic_wait:not(:has(.o_clinic_wait_alert))",
            run: () => staffCalls("Anna Schmidt", "action_start_video"),
        },
        {
            trigger: ".o_clinic_wait[data-status=in_consultation] .o_clinic_wait_join",
        },
        {
            content: "W6: staff press Hold, then leave the call",
            trigger: ".o_clinic_wait[data-status=in_consultation]",
            run: async () => {
                await staffCalls("Anna Schmidt", "action_hold");
                await staffCalls("Anna Schmidt", "action_leave_call");
            },
        },
        {
            content: "W6: back on the waiting screen, on hold, still able to write",
            trigger:
                ".o_clinic_wait[data-status=on_hold]:not(:has(.o_clinic_wait_join)) .o_clinic_wait_compose textarea",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_waiting_discuss_hold_tour", {
    steps: () => [
        {
            content: "W7: the waiting patient's ⋮ menu",
            trigger: `${row("Emma Koch")}[data-status=waiting] .o_clinic_row_menu`,
            run: "click",
        },
        {
            content: "W7: start the video consultation: staff join the Discuss call",
            trigger: ".o_clinic_action_video",
            run: "click",
        },
        {
            trigger: ".o-discuss-Call button[title='Disconnect']",
        },
        {
            content: "The patient joins: their participant card; right-click opens its menu",
            trigger: ".o-discuss-CallParticipantCard[title='Emma Koch']:not(.o-isInvitation)",
            timeout: 30000,
            run(helpers) {
                helpers.anchor.dispatchEvent(
                    new MouseEvent("contextmenu", { bubbles: true, cancelable: true })
                );
            },
        },
        {
            content: "W6: Hold on the current participant",
            trigger: ".o-discuss-CallContextMenu .o_clinic_call_hold:enabled:contains(Hold)",
            run: "click",
        },
        {
            trigger: ".o-discuss-CallContextMenu .o_clinic_call_hold:disabled",
        },
        {
            trigger: `${row("Emma Koch")} .o_clinic_hold_flag`,
        },
        {
            content: "W6: hang up (leave the call)",
            trigger: ".o-discuss-Call button[title='Disconnect']",
            run: "click",
        },
        {
            content: "W6: the patient waits on hold",
            trigger: `body:not(:has(.o-discuss-Call)) ${row("Emma Koch")}[data-status=on_hold]`,
        },
    ],
});
