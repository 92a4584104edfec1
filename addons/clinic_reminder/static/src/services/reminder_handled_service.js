import { _t } from "@web/core/l10n/translation";
import { RPCError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

/**
 * "Handled by hand" (C5, pink): the one place the screens toggle the mark. The
 * server decides whether a row may be marked; its refusal is shown as it says it.
 */
export const reminderHandledService = {
    dependencies: ["orm", "notification"],
    start(env, { orm, notification }) {
        return {
            /**
             * Toggle the mark on rows `lineIds` (one list).
             * @returns {Promise<Object|null>} the rows' colour payload, or null when refused
             */
            async toggle(lineIds) {
                try {
                    return await orm.call(
                        "clinic.call.list.line",
                        "action_reminder_toggle_handled",
                        [lineIds]
                    );
                } catch (error) {
                    if (!(error instanceof RPCError) || !error.data?.message) {
                        throw error;
                    }
                    notification.add(error.data.message, {
                        title: _t("This row cannot be marked"),
                        type: "danger",
                    });
                    return null;
                }
            },
        };
    },
};

registry.category("services").add("clinic_reminder_handled", reminderHandledService);
