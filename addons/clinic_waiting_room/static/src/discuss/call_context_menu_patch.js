import { onWillStart, useState } from "@odoo/owl";
import { CallContextMenu } from "@mail/discuss/call/common/call_context_menu";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";

/**
 * W6: in a waiting-room consultation, the call's participant menu of the patient
 * (a guest) offers "Hold"; leaving the call then puts the patient back on hold.
 */
patch(CallContextMenu.prototype, {
    setup() {
        super.setup(...arguments);
        this.orm = useService("orm");
        this.clinicHold = useState({ entryId: false, done: false });
        onWillStart(async () => {
            const session = this.props.rtcSession;
            if (!session.guestId || !session.channel) {
                return;
            }
            if (!(await user.hasGroup("clinic_base.group_clinic_operator"))) {
                return;
            }
            const [entryId] = await this.orm.search("clinic.waiting.entry", [
                ["channel_id", "=", session.channel.id],
                ["state", "=", "in_consultation"],
            ]);
            this.clinicHold.entryId = entryId || false;
        });
    },

    async onClickClinicHold() {
        await this.orm.call("clinic.waiting.entry", "action_hold", [[this.clinicHold.entryId]]);
        this.clinicHold.done = true;
    },
});
