import { onWillUnmount } from "@odoo/owl";
import { CalendarFormController } from "@calendar/views/calendar_form/calendar_form_controller";
import { patch } from "@web/core/utils/patch";
import { bookingForms } from "@clinic_telephony_analytics/tag_popup/booking_forms";

/**
 * The appointment form (full form and the calendar's quick create, both
 * CalendarFormController) tells the tag popup when a booking opened under a
 * call is on screen, and when it is saved or left (T7 c, T9).
 */
patch(CalendarFormController.prototype, {
    setup() {
        this.clinicBookingCallId = false;
        super.setup(...arguments);
        onWillUnmount(() => this.clinicReleaseBooking());
    },

    get modelParams() {
        const params = super.modelParams;
        // as soon as the new booking's defaults arrive, before it is even shown
        params.hooks.onRootLoaded = () => this.clinicHoldBooking();
        return params;
    },

    clinicHoldBooking() {
        const { root } = this.model;
        const call = root.isNew && root.data.clinic_call_id;
        if (call && !this.clinicBookingCallId) {
            this.clinicBookingCallId = call[0];
            bookingForms.hold(call[0]);
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
