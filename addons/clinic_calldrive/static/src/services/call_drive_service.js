import { registry } from "@web/core/registry";

/**
 * Live locks of call lists (C4). The server only subscribes operators who may
 * read the list (ir.websocket), so the channel name carries no patient data.
 */
export const callDriveService = {
    dependencies: ["bus_service"],
    start(env, { bus_service }) {
        const listeners = new Map();
        bus_service.subscribe("clinic_calldrive/lock", (payload) => {
            for (const callback of listeners.get(payload.list_id) || []) {
                callback(payload);
            }
        });
        return {
            /**
             * Call `callback(payload)` on every lock change of list `listId`.
             * @returns {Function} stops watching
             */
            watchList(listId, callback) {
                if (!listeners.has(listId)) {
                    listeners.set(listId, new Set());
                    bus_service.addChannel(`clinic.call.list_${listId}`);
                }
                listeners.get(listId).add(callback);
                return () => {
                    const set = listeners.get(listId);
                    set.delete(callback);
                    if (!set.size) {
                        listeners.delete(listId);
                        bus_service.deleteChannel(`clinic.call.list_${listId}`);
                    }
                };
            },
        };
    },
};

registry.category("services").add("clinic_calldrive", callDriveService);
