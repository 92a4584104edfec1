"""Access rights (R5, R6, T6): who reads and acts on which call, over ORM and RPC."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import CommandsMixin, TelephonyCommon, event_dict


class OtherCompanyMixin:
    """A second clinic (company) with its own PBX, desk phone and operator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company2 = cls.env["res.company"].create({"name": "Second clinic"})
        cls.company2.country_id = cls.env.ref("base.de")
        cls.pbx2 = cls.env["clinic.pbx"].create(
            {"name": "Second PBX", "code": "second", "secret": "s2", "company_id": cls.company2.id}
        )
        cls.phone_b = cls.env["clinic.telephony.phone"].create(
            {
                "name": "Second desk",
                "extension": "201",
                "pbx_id": cls.pbx2.id,
                "company_id": cls.company2.id,
            }
        )
        cls.operator_b = new_test_user(
            cls.env,
            login="clinic_operator_b",
            groups="clinic_telephony.group_call_history",
            company_id=cls.company2.id,
            company_ids=[(6, 0, cls.company2.ids)],
        )
        cls.operator_b.clinic_telephony_allowed = True


@tagged("post_install", "-at_install")
class TestCallAccess(TelephonyCommon, TransactionCase):
    def test_r6_operator_reads_only_own_calls(self):
        mine = self.play("acc-1", ["call.ringing"])
        self.phone1.user_id = self.operator2
        theirs = self.play("acc-1b", ["call.ringing"])
        self.assertEqual((mine.user_id, theirs.user_id), (self.operator, self.operator2))
        self.assertEqual(self.env["clinic.call"].with_user(self.operator).search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.operator).read(["number_e164"])

    def test_r6_taken_over_phone_gives_no_access_to_its_earlier_calls(self):
        """The reported case: operator 2 takes over desk phone 101 and acts on an earlier
        call answered there by operator 1 (R6)."""
        earlier = self.play("acc-r6", ["call.ringing", "call.answered", "call.ended"])
        self.assertEqual(earlier.user_id, self.operator)
        result = (
            self.env["res.users"]
            .with_user(self.operator2)
            .clinic_telephony_set_phone(self.phone1.id, force=True)
        )
        self.assertEqual(result, {"status": "ok"})
        for action in ("action_add_patient", "action_book_appointment"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(earlier.with_user(self.operator2), action)()
        with self.assertRaises(AccessError):
            earlier.with_user(self.operator2).action_choose_patient(self.anna.id)
        # The call's own operator still acts on it.
        self.assertTrue(earlier.with_user(self.operator).action_add_patient())

    def test_r6_hidden_aggregator_number_is_not_stored(self):
        call = self.play("acc-hid", ["call.ringing"], source="prodoctors")
        self.assertTrue(call.hidden_number)
        self.assertEqual(call.partner_id, self.anna, "still identified")
        [row] = call.with_user(self.historian).read(["number_e164", "number_display"])
        self.assertFalse(row["number_e164"])
        self.assertNotIn("1234567", row["number_display"])

    def test_t6_history_user_reads_but_not_writes(self):
        call = self.play("acc-2", ["call.ringing"])
        calls = self.env["clinic.call"].with_user(self.historian).search([])
        self.assertIn(call, calls)
        with self.assertRaises(AccessError):
            call.with_user(self.historian).write({"partner_id": self.boris.id})
        with self.assertRaises(AccessError):
            call.with_user(self.historian).unlink()

    def test_r5_recording_url_not_readable_raw(self):
        call = self.play("acc-3", ["call.ringing"])
        for field in ("recording_url", "recording_file"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                call.with_user(self.historian).read([field])

    def test_r5_events_and_secret_hidden_from_operators(self):
        with self.assertRaises(AccessError):
            self.env["clinic.call.event"].with_user(self.historian).search([])
        with self.assertRaises(AccessError):
            self.pbx.with_user(self.operator).read(["secret"])
        self.assertEqual(self.pbx.with_user(self.operator).read(["name"])[0]["name"], "Test PBX")

    def test_t4_card_actions_only_on_own_calls(self):
        call = self.play("acc-4", ["call.ringing", "call.answered"])
        self.assertTrue(call.with_user(self.operator).action_book_appointment())
        with self.assertRaises(AccessError):
            call.with_user(self.operator2).action_book_appointment()

    def test_t6_call_history_menu_visibility(self):
        menu = self.env.ref("clinic_telephony.menu_clinic_call_history")
        Menu = self.env["ir.ui.menu"]
        self.assertNotIn(menu.id, Menu.with_user(self.operator)._visible_menu_ids())
        self.assertIn(menu.id, Menu.with_user(self.historian)._visible_menu_ids())

    def test_t6_manager_has_call_history(self):
        manager = new_test_user(
            self.env, login="clinic_mgr", groups="clinic_base.group_clinic_manager"
        )
        self.assertTrue(manager.has_group("clinic_telephony.group_call_history"))


@tagged("post_install", "-at_install")
class TestCallAccessHttp(TelephonyCommon, HttpCase):
    def test_r5_rpc_read_refused_without_call_history(self):
        call = self.play("rpc-1", ["call.ringing"])
        self.phone1.user_id = self.operator2
        colleague = self.play("rpc-1b", ["call.ringing"])
        self.authenticate("clinic_operator", "clinic_operator")
        rows = self.rpc("clinic.call", "search_read", [], fields=["number_e164"])
        self.assertEqual([row["id"] for row in rows], [call.id], "only the operator's own")
        with self.assertRaises(JsonRpcException) as caught:
            self.rpc("clinic.call", "read", [colleague.id], ["number_e164"])
        self.assertIn("AccessError", str(caught.exception))
        # The card API still works for the operator's own call.
        card = self.make_jsonrpc_request(
            "/web/dataset/call_kw/clinic.call/action_book_appointment",
            {
                "model": "clinic.call",
                "method": "action_book_appointment",
                "args": [[call.id]],
                "kwargs": {},
            },
        )
        self.assertEqual(card["res_model"], "calendar.event")

    def test_r5_rpc_read_allowed_with_call_history(self):
        self.play("rpc-2", ["call.ringing"])
        self.authenticate("clinic_historian", "clinic_historian")
        rows = self.make_jsonrpc_request(
            "/web/dataset/call_kw/clinic.call/search_read",
            {
                "model": "clinic.call",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["number_display"]},
            },
        )
        self.assertEqual(len(rows), 1)

    def rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_r6_taken_over_phone_gives_no_access_over_rpc(self):
        earlier = self.play("rpc-r6", ["call.ringing", "call.answered", "call.ended"])
        self.phone1.user_id = self.operator2
        self.authenticate("clinic_operator2", "clinic_operator2")
        for method in ("action_add_patient", "action_book_appointment", "read"):
            with self.subTest(method=method), self.assertRaises(JsonRpcException) as caught:
                self.rpc("clinic.call", method, [earlier.id])
            self.assertIn("AccessError", str(caught.exception))


@tagged("post_install", "-at_install")
class TestCompaniesApart(OtherCompanyMixin, TelephonyCommon, TransactionCase):
    def test_r6_second_company_reads_no_calls_phones_or_pbxs_of_the_first(self):
        self.play("co-1", ["call.ringing", "call.answered"])
        mine = self.ingest_other("co-2")
        as_b = self.env["clinic.call"].with_user(self.operator_b)
        self.assertEqual(as_b.search([]), mine)
        for model, record in (
            ("clinic.call", self.call("co-1")),
            ("clinic.pbx", self.pbx),
            ("clinic.telephony.phone", self.phone1),
            ("clinic.pbx.source", self.source),
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                record.with_user(self.operator_b).read(["display_name"])
        self.assertFalse(
            self.env["clinic.telephony.phone"]
            .with_user(self.operator_b)
            .search([("id", "=", self.phone1.id)])
        )

    def ingest_other(self, call_id):
        body = event_dict(f"{call_id}-r", "call.ringing", call_id, extension="201")
        self.ingest(body, pbx=self.pbx2)
        return self.call(call_id, pbx=self.pbx2)

    def test_r6_calls_carry_their_pbx_s_company(self):
        self.assertEqual(self.ingest_other("co-3").company_id, self.company2)
        self.assertEqual(self.play("co-4", ["call.ringing"]).company_id, self.env.company)

    def test_r6_desk_phone_only_from_the_user_s_companies(self):
        Users = self.env["res.users"].with_user(self.operator_b)
        with self.assertRaises(AccessError):
            Users.clinic_telephony_set_phone(self.phone1.id)
        self.assertFalse(self.phone1.user_id == self.operator_b)
        self.assertEqual(Users.clinic_telephony_set_phone(self.phone_b.id), {"status": "ok"})
        info = Users.clinic_telephony_session_info()
        self.assertEqual([p["id"] for p in info["phones"]], self.phone_b.ids)

    def test_r6_shared_pbx_call_belongs_to_the_clinic_of_its_desk_phone(self):
        phone = self.env["clinic.telephony.phone"].create(
            {
                "name": "Second clinic at the main PBX",
                "extension": "301",
                "pbx_id": self.pbx.id,
                "company_id": self.company2.id,
            }
        )
        self.ingest(event_dict("shared-1-r", "call.ringing", "shared-1", extension="301"))
        call = self.call("shared-1")
        self.assertEqual((call.phone_id, call.company_id), (phone, self.company2))
        self.assertEqual(self.env["clinic.call"].with_user(self.operator_b).search([]), call)


@tagged("post_install", "-at_install")
class TestCompaniesApartRpc(OtherCompanyMixin, TelephonyCommon, HttpCase):
    def test_r6_second_company_user_over_rpc(self):
        call = self.play("corpc-1", ["call.ringing", "call.answered"])
        self.authenticate("clinic_operator_b", "clinic_operator_b")
        rows = self.make_jsonrpc_request(
            "/web/dataset/call_kw/clinic.call/search_read",
            {
                "model": "clinic.call",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["number_display", "partner_id"]},
            },
        )
        self.assertEqual(rows, [])
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/clinic.call/read",
                {
                    "model": "clinic.call",
                    "method": "read",
                    "args": [[call.id], ["partner_id"]],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(caught.exception))
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/res.users/clinic_telephony_set_phone",
                {
                    "model": "res.users",
                    "method": "clinic_telephony_set_phone",
                    "args": [self.phone1.id],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", str(caught.exception))


@tagged("post_install", "-at_install")
class TestPausePerCompany(OtherCompanyMixin, CommandsMixin, TelephonyCommon, TransactionCase):
    def test_15_9_pause_is_per_company(self):
        self.env["res.users"].with_company(self.company2).clinic_telephony_set_paused(True)
        self.assertTrue(self.company2.clinic_telephony_paused)
        self.assertFalse(self.env.company.clinic_telephony_paused)
        # The first clinic still calls and gets cards; the second does not.
        card = self.env["clinic.call"].with_user(self.operator).dial("030 1234567")
        self.assertEqual(card["state"], "ringing")
        self.env["res.users"].with_user(self.operator_b).clinic_telephony_set_phone(self.phone_b.id)
        with self.assertRaisesRegex(UserError, "paused"):
            self.env["clinic.call"].with_user(self.operator_b).dial("030 1234567")
        self.clear_bus()
        self.ingest(event_dict("pz-1", "call.ringing", "pz-1", extension="201"), pbx=self.pbx2)
        self.assertFalse(self.bus_payloads("clinic_telephony/call", self.operator_b.partner_id))
        info = self.env["res.users"].with_user(self.operator_b).clinic_telephony_session_info()
        self.assertTrue(info["paused"])

    def test_15_9_settings_show_the_current_company_s_pause(self):
        manager = new_test_user(
            self.env,
            login="clinic_two_sites_manager",
            groups="clinic_base.group_clinic_manager",
            company_ids=[(6, 0, (self.env.company | self.company2).ids)],
        )
        Settings = self.env["clinic.settings"].with_user(manager)
        settings = Settings.with_company(self.company2).create({})
        self.assertEqual(settings.company_id, self.company2)
        settings.action_pause_telephony()
        self.assertTrue(self.company2.clinic_telephony_paused)
        self.assertFalse(self.env.company.clinic_telephony_paused)
        self.assertFalse(Settings.create({}).clinic_telephony_paused)
        self.assertTrue(Settings.with_company(self.company2).create({}).clinic_telephony_paused)
