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
async function staffInvites(name) {
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

/** W2 from the dashboard: ⋮ > Notify > write > send, then close the dialog. */
function notifySteps(name, body) {
    return [
        {
            content: `W2: ⋮ on ${name}`,
            trigger: `${row(name)} .o_clinic_row_menu`,
            run: "click",
        },
        {
            trigger: ".o_clinic_action_notify",
            run: "click",
        },
        {
            trigger: ".modal .o_clinic_notify_body",
            run: `edit ${body}`,
        },
        {
            content: "Send icon",
            trigger: ".modal .o_clinic_notify_send:enabled",
            run: "click",
        },
        {
            content: "The conversation shows the message",
            trigger: `.modal .o_clinic_notify_message:contains(${body})`,
        },
        {
            trigger: ".modal .btn-close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ];
}

/**
 * W12: the patient's first opening: name, consent, camera and microphone test
 * (Chromium's fake devices), then the waiting screen.
 */
function checkInSteps(name) {
    return [
        {
            content: "W12: the patient confirms their name",
            trigger: `.o_clinic_wait_checkin_name .o_clinic_wait_patient_name:contains(${name})`,
        },
        {
            trigger: ".o_clinic_wait_confirm_name",
            run: "click",
        },
        {
            content: "W12: the consent text of the room; no way in without accepting it",
            trigger: ".o_clinic_wait_consent_text:contains(video consultation)",
        },
        {
            trigger: ".o_clinic_wait_consent_continue:disabled",
        },
        {
            trigger: ".o_clinic_wait_consent_accept",
            run: "click",
        },
        {
            trigger: ".o_clinic_wait_consent_continue:enabled",
            run: "click",
        },
        {
            content: "W12: camera and microphone test",
            trigger: ".o_clinic_device_start",
            run: "click",
        },
        {
            content: "The camera preview plays",
            trigger:
                ".o_clinic_device_test[data-result=ready] .o_clinic_device_preview[data-playing='1']",
            timeout: 20000,
        },
        {
            content: "The level meter hears the microphone",
            trigger: ".o_clinic_device_heard",
            timeout: 20000,
        },
        {
            trigger: ".o_clinic_device_continue:enabled",
            run: "click",
        },
        {
            content: "W4: the waiting screen",
            trigger:
                ".o_clinic_wait[data-step=waiting][data-status=waiting] .o_clinic_wait_status_label",
        },
    ];
}

registry.category("web_tour.tours").add("clinic_waiting_checkin_tour", {
    steps: () => checkInSteps("Frida Lang"),
});

registry.category("web_tour.tours").add("clinic_waiting_staff_tour", {
    steps: () => [
        {
            content: "W1: everyone in the waiting room is listed",
            trigger: `${row("Anna Schmidt")}[data-status=waiting]`,
        },
        {
            trigger: `${row("Dieter Vogel")}[data-status=in_consultation]`,
        },
        ...notifySteps("Anna Schmidt", "Dr. Weber will see you in 5 minutes"),
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
            content: "W11: front desk invites a patient while staff watch the list",
            trigger: ".o_clinic_status_filter",
            run: async (helpers) => {
                await helpers.select("");
                await staffInvites("Emil Berger");
            },
        },
        {
            content: "W11: listed, but not waiting until their page is open",
            trigger: `${row("Emil Berger")}[data-status=invited] .o_clinic_wait_time:contains(—)`,
        },
        // once told, the patient opens their page (pushed by the test)
        ...notifySteps("Emil Berger", "Please open the link we sent you"),
        {
            content: "W8: their page opened: sound and notification",
            trigger: ".o_notification:contains(Emil Berger arrived in the waiting room)",
        },
        {
            content: "W11, W12: waiting now, with the result of their device test",
            trigger: `${row("Emil Berger")}[data-status=waiting] .o_clinic_device[data-device=microphone_blocked]:contains(Microphone blocked)`,
        },
        {
            content: "W9: the waiting time runs from the arrival",
            trigger: `${row("Emil Berger")} .o_clinic_wait_time:contains(0 min)`,
        },
    ],
});

registry.category("web_tour.tours").add("clinic_waiting_presence_tour", {
    steps: () => [
        {
            content: "W11: a visit staff created is not 'waiting' before the page opens",
            trigger: `${row("Frida Lang")}[data-status=invited]`,
        },
        {
            trigger: `${row("Frida Lang")} .o_clinic_wait_time:contains(—)`,
        },
        // the test opens the patient's page in a second browser once she was told
        ...notifySteps("Frida Lang", "You can come in now"),
        {
            content: "W8: she checked in and her page is open: arrival alert",
            trigger: ".o_notification:contains(Frida Lang arrived in the waiting room)",
            timeout: 60000,
        },
        {
            content: "W11, W12: waiting, device ready",
            trigger: `${row("Frida Lang")}[data-status=waiting] .o_clinic_device[data-device=ready]`,
        },
        // the test closes her page once she was told again
        ...notifySteps("Frida Lang", "Dr. Weber is almost ready"),
        {
            content: "W11: her page closed: 'left' (the step allows 5 s)",
            trigger: `${row("Frida Lang")}[data-status=left]`,
            timeout: 5000,
        },
        // and reopens it after a third message
        ...notifySteps("Frida Lang", "Are you still there"),
        {
            content: "W11: back in the waiting room",
            trigger: `${row("Frida Lang")}[data-status=waiting]`,
            timeout: 30000,
        },
    ],
});

registry.category("web_tour.tours").add("clinic_waiting_patient_tour", {
    steps: () => [
        ...checkInSteps("Anna Schmidt"),
        {
            content: "The clinic writes once the patient is there (pushed by the test)",
            trigger: ".o_clinic_wait_from_clinic:contains(Please come to room 3)",
        },
        {
            content: "W4: the message arrived live, with a visible alert",
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
            content: "W7: staff start the video consultation (pushed by the test)",
            trigger: ".o_clinic_wait[data-status=in_consultation] .o_clinic_wait_join",
        },
        {
            trigger: ".o_clinic_wait_compose textarea",
            run: "edit Joining now",
        },
        {
            trigger: ".o_clinic_wait_send",
            run: "click",
        },
        {
            content:
                "W6: staff hold, then leave the call: back on the waiting screen, on hold, still able to write",
            trigger:
                ".o_clinic_wait[data-status=on_hold]:not(:has(.o_clinic_wait_join)) .o_clinic_wait_compose textarea",
        },
    ],
});

registry.category("web_tour.tours").add("clinic_waiting_closed_tour", {
    steps: () => [
        {
            content: "W13: outside opening hours the page is closed, with the next opening",
            trigger:
                ".o_clinic_wait[data-step=closed] .o_clinic_wait_next_opening:contains(Monday 2 March, 08:00)",
        },
        {
            trigger: ".o_clinic_wait_next_opening:contains(Europe/Berlin)",
        },
        {
            content: "No check-in, no waiting screen",
            trigger:
                "body:not(:has(.o_clinic_wait_confirm_name)):not(:has(.o_clinic_wait_status_label))",
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
