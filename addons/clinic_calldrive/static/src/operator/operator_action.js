import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import {
    deserializeDate,
    deserializeDateTime,
    formatDate,
    formatDateTime,
} from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { FinishDialog } from "../finish_dialog/finish_dialog";

/**
 * Operator screen of the call drive (C1-C4): lists on the left, rows in the
 * middle, the selected patient's card on the right. Every decision (locks,
 * results, outcomes) is taken by the server; this component only shows state
 * and forwards the operator's clicks.
 */
export class CallDriveOperator extends Component {
    static template = "clinic_calldrive.Operator";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.dialog = useService("dialog");
        this.notification = useService("notification");
        this.callDrive = useService("clinic_calldrive");
        this.state = useState({
            lists: [],
            listId: null,
            rows: [],
            results: [],
            card: null,
            // Row filters the operator turned on, by name (offered per list by the server).
            rowFilters: {},
        });
        this.unwatch = null;
        this.cardRequest = 0;
        this.selectedRowId = null;
        this.rowsRequest = 0;
        onWillStart(async () => {
            await this.loadLists();
            const listId = this.props.action.params?.list_id || this.state.lists[0]?.id;
            if (listId) {
                await this.selectList(listId);
            }
        });
        onWillUnmount(() => this.unwatch?.());
    }

    get currentList() {
        return this.state.lists.find((l) => l.id === this.state.listId);
    }

    async loadLists() {
        this.state.lists = await this.orm.call("clinic.call.list", "operator_lists", []);
    }

    async selectList(listId) {
        this.unwatch?.();
        if (listId !== this.state.listId) {
            this.state.rowFilters = {};
        }
        this.state.listId = listId;
        this.state.card = null;
        this.selectedRowId = null;
        this.cardRequest++;
        this.unwatch = this.callDrive.watchList(listId, (payload) => this.onLockChange(payload));
        const [, results] = await Promise.all([
            this.reloadRows(),
            this.orm.call("clinic.call.list", "operator_results", [[listId]]),
        ]);
        this.state.results = results;
    }

    /** Rows of the current list that the server keeps under the active row filters. */
    async reloadRows() {
        // Only the latest answer counts (the list or the filters may change meanwhile).
        const request = ++this.rowsRequest;
        const rows = await this.orm.call(
            "clinic.call.list",
            "operator_rows",
            [[this.state.listId]],
            { filters: { ...this.state.rowFilters } }
        );
        if (request === this.rowsRequest) {
            this.state.rows = rows;
        }
    }

    get hasRowFilter() {
        return Object.values(this.state.rowFilters).some(Boolean);
    }

    async toggleRowFilter(name) {
        this.state.rowFilters[name] = !this.state.rowFilters[name];
        await this.reloadRows();
    }

    async selectRow(rowId) {
        // A slow answer (e.g. a refresh triggered by a lock change) must not
        // replace the card of a row the operator selected since.
        const request = ++this.cardRequest;
        this.selectedRowId = rowId;
        const card = await this.orm.call("clinic.call.list.line", "operator_card", [[rowId]]);
        if (request === this.cardRequest) {
            this.state.card = card;
        }
    }

    async refresh() {
        await this.orm.call("clinic.call.list", "action_refresh", [[this.state.listId]]);
        await this.loadLists();
        const cardId = this.state.card?.id;
        await this.selectList(this.state.listId);
        if (cardId && this.state.rows.some((r) => r.id === cardId)) {
            await this.selectRow(cardId);
        }
    }

    /** A lock or state changed on another screen (or ours): update in place. */
    onLockChange(payload) {
        const index = this.state.rows.findIndex((r) => r.id === payload.line_id);
        if (payload.state !== "todo") {
            if (index >= 0) {
                this.state.rows.splice(index, 1);
            }
        } else if (index >= 0) {
            Object.assign(this.state.rows[index], {
                lock_user: payload.lock_user,
                lock_stale: payload.lock_stale,
            });
        }
        // Compare with the row last clicked, not the card on screen: its answer may
        // still be on the way.
        if (this.selectedRowId === payload.line_id) {
            if (payload.state !== "todo") {
                this.selectedRowId = null;
                this.cardRequest++;
                this.state.card = null;
            } else {
                this.selectRow(payload.line_id);
            }
        }
        const list = this.currentList;
        if (list && this.hasRowFilter) {
            // The rows shown are a subset: ask the server for the list's counts.
            this.loadLists();
        } else if (list) {
            list.todo_count = this.state.rows.length;
            list.locked_count = this.state.rows.filter((r) => r.lock_user).length;
        }
    }

    formatDateTime(value) {
        return value ? formatDateTime(deserializeDateTime(value), { showSeconds: false }) : "";
    }

    formatDate(value) {
        return value ? formatDate(deserializeDate(value)) : "";
    }

    isMine(row) {
        return row.lock_user && row.lock_user.id === user.userId;
    }

    rowClass(row) {
        return {
            "table-active": this.state.card?.id === row.id,
            o_clinic_call_row_locked: Boolean(row.lock_user) && !this.isMine(row),
            o_clinic_call_row_mine: this.isMine(row),
        };
    }

    lockText(card) {
        if (!card.lock_user) {
            return "";
        }
        if (card.lock_mine) {
            return _t("You are processing this row since %(since)s.", {
                since: this.formatDateTime(card.lock_date),
            });
        }
        return _t("Locked by %(user)s since %(since)s.", {
            user: card.lock_user.name,
            since: this.formatDateTime(card.lock_date),
        });
    }

    async startCall(manual = false) {
        const card = this.state.card;
        if (card.lock_user && !card.lock_mine) {
            if (!card.lock_stale) {
                this.notification.add(
                    _t("%(user)s is processing this row.", { user: card.lock_user.name }),
                    { type: "warning" }
                );
                return;
            }
            this.dialog.add(ConfirmationDialog, {
                title: _t("Row locked for a long time"),
                body: _t(
                    "%(user)s has been processing this row since %(since)s. Release the lock and call?",
                    { user: card.lock_user.name, since: this.formatDateTime(card.lock_date) }
                ),
                confirmLabel: _t("Release and call"),
                confirm: async () => {
                    await this.orm.call("clinic.call.list.line", "action_force_release", [
                        [card.id],
                    ]);
                    await this.doStartCall(card.id, manual);
                },
                cancel: () => {},
            });
            return;
        }
        await this.doStartCall(card.id, manual);
    }

    async doStartCall(rowId, manual) {
        const dial = await this.orm.call("clinic.call.list.line", "action_start_call", [[rowId]], {
            manual,
        });
        if (dial) {
            await this.action.doAction(dial);
        }
        await this.selectRow(rowId);
    }

    finish() {
        const card = this.state.card;
        this.dialog.add(FinishDialog, {
            patientName: card.partner.name,
            results: this.state.results,
            onConfirm: async (resultId, comment) => {
                await this.orm.call("clinic.call.list.line", "action_finish", [
                    [card.id],
                    resultId,
                    comment,
                ]);
                await this.selectList(this.state.listId);
                if (this.state.rows.some((r) => r.id === card.id)) {
                    await this.selectRow(card.id);
                }
                await this.loadLists();
            },
        });
    }

    async abort() {
        await this.orm.call("clinic.call.list.line", "action_abort", [[this.state.card.id]]);
        await this.selectRow(this.state.card.id);
    }

    openPatient() {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: this.state.card.partner.id,
            views: [[false, "form"]],
        });
    }

    openAppointment(eventId) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "calendar.event",
            res_id: eventId,
            views: [[false, "form"]],
        });
    }

    async openAppointments() {
        const action = await this.orm.call("res.partner", "action_open_appointments", [
            [this.state.card.partner.id],
        ]);
        await this.action.doAction(action);
    }
}

registry.category("actions").add("clinic_calldrive.operator", CallDriveOperator);
