import { CallContextMenu } from "@mail/discuss/call/common/call_context_menu";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";

/**
 * W6: in a waiting-room consultation, the call's participant menu of the patient
 * (a guest) offers "Hold"; leaving the call then puts the patient back on hold.
 * The channel tells whether it is a visit's (``clinic_waiting_entry_id``, sent by
 * ``discuss.channel._to_store`` to staff only): nothing to ask the server on open.
 */
patch(CallContextMenu.prototype, {
    setup() {
        super.setup(...arguments);
        this.orm = useService("orm");
    },

    get clinicVisitChannel() {
        const session = this.props.rtcSession;
        const channel = session.channel;
        return session.guestId && channel?.clinic_waiting_entry_id ? channel : false;
    },

    async onClickClinicHold() {
        const channel = this.clinicVisitChannel;
        await this.orm.call("clinic.waiting.entry", "action_hold", [
            [channel.clinic_waiting_entry_id],
        ]);
        channel.update({ clinic_waiting_hold: true });
    },
});
