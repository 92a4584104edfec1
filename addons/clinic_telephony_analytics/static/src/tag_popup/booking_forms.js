import { EventBus } from "@odoo/owl";

/**
 * T7 (c) and T9: a booking form opened during a call may be saved after hang-up.
 * The post-call tag popup waits until that form is saved or left: it must neither
 * cover the form nor ask "why no booking" before the booking exists. The booking
 * form (``calendar_form_controller_patch.js``) registers here.
 */
export const bookingForms = {
    /** ids of the calls whose new booking form is on screen, not saved yet */
    open: new Set(),
    /** triggers "closed" with the call id once its form is saved or left */
    bus: new EventBus(),
    hold(callId) {
        this.open.add(callId);
    },
    release(callId) {
        if (this.open.delete(callId)) {
            this.bus.trigger("closed", callId);
        }
    },
};
