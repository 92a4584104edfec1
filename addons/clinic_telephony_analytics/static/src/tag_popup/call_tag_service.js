import { registry } from "@web/core/registry";
import { CallTagDialog } from "./call_tag_dialog";

const FINISHED = ["ended", "failed"];

/**
 * Opens the post-call tag popup (T9) when the bus reports that a call of the
 * current user has ended. Whether to ask (tags on, mode, answered, booking,
 * not yet tagged) is the server's decision.
 */
export const callTagPopupService = {
    dependencies: ["bus_service", "dialog", "orm"],
    start(env, { bus_service, dialog, orm }) {
        const handled = new Set();
        bus_service.subscribe("clinic_telephony/call", async (card) => {
            if (!FINISHED.includes(card.state) || handled.has(card.id)) {
                return;
            }
            handled.add(card.id);
            const prompt = await orm.silent.call("clinic.call", "clinic_tag_prompt", [[card.id]]);
            if (prompt) {
                dialog.add(CallTagDialog, { prompt });
            }
        });
        bus_service.start();
    },
};

registry.category("services").add("clinic_call_tag_popup", callTagPopupService);
