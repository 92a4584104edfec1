import { EventBus, onWillUnmount } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { FormController } from "@web/views/form/form_controller";

/**
 * T7 (c) and T9: a booking form opened during a call may be saved after hang-up.
 * The post-call tag popup waits until that form is saved or left: it must neither
 * cover the form nor ask "why no booking" before the booking exists.
 */
export const bookingForms = {
    /** ids of the calls whose new booking form is on screen, not saved yet */
    open: new Set(),
    /** triggers "closed" with the call id once its form is saved or left */
    bus: new EventBus(),
    release(callId) {
        if (this.open.delete(callId)) {
            this.bus.trigger("closed", callId);
        }
    },
};

patch(FormController.prototype, {
    setup() {
        this.clinicBookingCallId = false;
        super.setup(...arguments);
        if (this.props.resModel === "calendar.event") {
            onWillUnmount(() => this.clinicReleaseBooking());
        }
    },

    get modelParams() {
        const params = super.modelParams;
        if (this.props.resModel === "calendar.event") {
            // as soon as the new booking's defaults arrive, before it is even shown
            params.hooks.onRootLoaded = () => this.clinicHoldBooking();
        }
        return params;
    },

    clinicHoldBooking() {
        const { root } = this.model;
        const call = root.isNew && root.data.clinic_call_id;
        if (call && !this.clinicBookingCallId) {
            this.clinicBookingCallId = call[0];
            bookingForms.open.add(call[0]);
        }
    },

    clinicReleaseBooking() {
        if (this.clinicBookingCallId) {
            bookingForms.release(this.clinicBookingCallId);
            this.clinicBookingCallId = false;
        }
    },

    async onRecordSaved() {
        const result = await super.onRecordSaved(...arguments);
        this.clinicReleaseBooking();
        return result;
    },
});
