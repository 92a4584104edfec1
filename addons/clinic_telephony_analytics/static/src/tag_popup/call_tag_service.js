import { registry } from "@web/core/registry";
import { bookingForms } from "./booking_forms";
import { CallTagDialog } from "./call_tag_dialog";

const FINISHED = ["ended", "failed"];

/**
 * Opens the post-call tag popup (T9) when the bus reports that a call of the
 * current user has ended, or, when a booking form opened during that call is
 * still on screen, once that form is saved or left. Whether to ask (tags on,
 * mode, answered, booking, not yet tagged) is the server's decision.
 */
export const callTagPopupService = {
    dependencies: ["bus_service", "dialog", "orm"],
    start(env, { bus_service, dialog, orm }) {
        const handled = new Set();
        const deferred = new Set();

        async function ask(callId) {
            const prompt = await orm.silent.call("clinic.call", "tag_prompt", [[callId]]);
            if (prompt) {
                dialog.add(CallTagDialog, { prompt });
            }
        }

        bookingForms.bus.addEventListener("closed", ({ detail: callId }) => {
            if (deferred.delete(callId)) {
                ask(callId);
            }
        });
        bus_service.subscribe("clinic_telephony/call", (card) => {
            if (!FINISHED.includes(card.state) || handled.has(card.id)) {
                return;
            }
            handled.add(card.id);
            if (bookingForms.open.has(card.id)) {
                deferred.add(card.id);
            } else {
                ask(card.id);
            }
        });
        bus_service.start();
    },
};

registry.category("services").add("clinic_call_tag_popup", callTagPopupService);
