from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import AnalyticsCommon


@tagged("post_install", "-at_install")
class TestCallTags(AnalyticsCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Group = cls.env["clinic.call.tag.group"]
        cls.why = Group.create(
            {
                "name": "Why no booking",
                "tag_ids": [
                    (0, 0, {"name": "Price"}),
                    (0, 0, {"name": "No free slot"}),
                ],
            }
        )
        cls.service = Group.create({"name": "Service", "tag_ids": [(0, 0, {"name": "Dentist"})]})
        cls.price, cls.no_slot = cls.why.tag_ids
        cls.dentist = cls.service.tag_ids
        cls.call = cls.make_call(cls.irina, "incoming", "2026-03-02 09:00:00", talk=60)

    def prompt(self, call=None, user=None):
        return (call or self.call).with_user(user or self.irina).tag_prompt()

    def save(self, tags, comment=None, call=None, user=None):
        return (call or self.call).with_user(user or self.irina).save_tags(tags.ids, comment)

    def test_t9_off_by_default(self):
        self.assertFalse(self.prompt())
        with self.assertRaises(UserError):
            self.save(self.price)

    def test_t9_mode_only_when_no_booking(self):
        self.set_tag_settings(mode="no_booking")
        prompt = self.prompt()
        self.assertEqual(prompt["call_id"], self.call.id)
        self.assertEqual(
            [(g["name"], [t["name"] for t in g["tags"]]) for g in prompt["groups"]],
            [("Why no booking", ["Price", "No free slot"]), ("Service", ["Dentist"])],
        )
        self.book(self.call, self.irina)
        self.assertFalse(self.prompt())

    def test_t9_mode_always(self):
        self.set_tag_settings(mode="always")
        self.book(self.call, self.irina)
        self.assertTrue(self.prompt())

    def test_t9_missed_and_live_calls_are_not_asked(self):
        self.set_tag_settings(mode="always")
        self.assertFalse(self.prompt(self.make_call(self.irina, "missed", "2026-03-02 10:00:00")))
        self.assertFalse(
            self.prompt(self.make_call(self.irina, "incoming", datetime.now(), state="talking"))
        )

    def test_t9_only_the_handler_tags(self):
        self.set_tag_settings()
        with self.assertRaises(AccessError):
            self.prompt(user=self.jonas)
        self.assertFalse(self.prompt(user=self.manager), "managers see the call, are not asked")
        with self.assertRaises(AccessError):
            self.save(self.price, user=self.jonas)
        with self.assertRaises(AccessError):
            self.save(self.price, user=self.manager)

    def test_t9_popup_needs_at_least_one_tag(self):
        self.set_tag_settings()
        with self.assertRaisesRegex(UserError, "at least one tag"):
            self.save(self.price.browse())
        with self.assertRaisesRegex(UserError, "comment"):
            self.save(self.price.browse(), "   ")
        self.assertEqual(self.call.tags_display, "—")
        self.assertTrue(self.prompt(), "nothing saved: the popup is still due")

    def test_t9_never_saved_shows_dash(self):
        self.set_tag_settings()
        self.assertEqual(self.call.with_user(self.supervisor).tags_display, "—")

    def test_t9_tags_grouped_in_history(self):
        self.set_tag_settings()
        self.save(self.price | self.dentist | self.no_slot)
        self.assertEqual(
            self.call.with_user(self.supervisor).tags_display,
            "Why no booking: Price, No free slot; Service: Dentist",
        )
        self.assertFalse(self.prompt(), "a tagged call is not asked again")

    def test_t9_other_tag_comment_in_history(self):
        self.set_tag_settings()
        self.save(self.price, "  Asked about parking ")
        self.assertEqual(
            self.call.with_user(self.supervisor).tags_display,
            "Why no booking: Price; Other tag: Asked about parking",
        )
        other = self.call.tag_line_ids.filtered("is_other")
        self.assertFalse(other.group_id)
        self.assertFalse(other.tag_id)
        self.assertEqual(
            self.why.tag_ids, self.price | self.no_slot, "the comment is not added to any group"
        )

    def test_t9_saved_tags_are_immutable(self):
        self.set_tag_settings()
        self.save(self.price)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            self.save(self.no_slot)
        line = self.call.tag_line_ids
        for user in (self.supervisor, self.manager, self.env.user):
            with self.assertRaises(UserError):  # AccessError is a UserError
                line.with_user(user).write({"tag_name": "Changed"})
            with self.assertRaises(UserError):  # AccessError is a UserError
                line.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.env["clinic.call.tag.line"].with_user(self.irina).create(
                {"call_id": self.call.id, "tag_name": "Forged"}
            )
        self.assertEqual(self.call.tag_line_ids.mapped("tag_name"), ["Price"])

    def test_t9_tag_cannot_be_renamed_but_deleted(self):
        with self.assertRaisesRegex(UserError, "cannot be renamed"):
            self.price.with_user(self.manager).name = "Cost"
        self.price.with_user(self.manager).sequence = 3  # other fields stay editable
        self.price.with_user(self.manager).unlink()
        self.assertEqual(self.why.tag_ids, self.no_slot)

    def test_t9_group_renamable_history_follows(self):
        self.set_tag_settings()
        self.save(self.price)
        self.why.with_user(self.manager).name = "Reason"
        self.assertEqual(self.call.tags_display, "Reason: Price")
        lines = (
            self.env["clinic.call.tag.line"]
            .with_user(self.supervisor)
            .read_group([], ["__count"], ["group_name"])
        )
        self.assertEqual([g["group_name"] for g in lines], ["Reason"])

    def test_t9_deleted_group_keeps_history(self):
        self.set_tag_settings()
        self.save(self.price | self.dentist, "Asked about parking")
        self.why.with_user(self.manager).unlink()
        self.assertFalse(self.price.exists(), "deleting a group deletes its tags")
        self.assertFalse(self.no_slot.exists())
        call = self.call.with_user(self.supervisor)
        call.invalidate_recordset()
        self.assertEqual(
            call.tags_display,
            "Why no booking: Price; Service: Dentist; Other tag: Asked about parking",
        )
        # Tag report, filtered by the deleted group's name.
        report = self.env["clinic.call.tag.line"].with_user(self.supervisor)
        groups = report.read_group(
            [("group_name", "=", "Why no booking")], ["__count"], ["tag_name"]
        )
        self.assertEqual([(g["tag_name"], g["tag_name_count"]) for g in groups], [("Price", 1)])

    def test_t9_tag_report_filter_by_group(self):
        self.set_tag_settings()
        self.save(self.price | self.dentist)
        other_call = self.make_call(self.irina, "outgoing", "2026-03-03 09:00:00", talk=30)
        self.save(self.price, call=other_call)
        Line = self.env["clinic.call.tag.line"].with_user(self.supervisor)
        groups = Line.read_group([("group_id", "=", self.why.id)], ["__count"], ["tag_name"])
        self.assertEqual([(g["tag_name"], g["tag_name_count"]) for g in groups], [("Price", 2)])
        by_group = Line.read_group([], ["__count"], ["group_name"])
        self.assertEqual(
            sorted((g["group_name"], g["group_name_count"]) for g in by_group),
            [("Service", 1), ("Why no booking", 2)],
        )


@tagged("post_install", "-at_install")
class TestTagSettingsPerCompany(AnalyticsCommon, TransactionCase):
    def test_15_9_tag_settings_are_per_company(self):
        other = self.env["res.company"].create({"name": "Second clinic"})
        self.set_tag_settings(enabled=True, mode="always")
        self.set_tag_settings(enabled=False, company=other)
        call = self.make_call(self.irina, "incoming", "2026-03-02 09:00:00", talk=60)
        self.assertEqual(call._tag_settings(), (True, "always"))
        other_pbx = self.env["clinic.pbx"].create(
            {"name": "Other", "code": "anl2", "kind": "simulator", "company_id": other.id}
        )
        other_call = self.make_call(self.irina, "incoming", "2026-03-02 09:00:00", talk=60)
        other_call.pbx_id = other_pbx
        other_call.company_id = other
        self.assertEqual(other_call._tag_settings(), (False, "no_booking"))

    def test_15_9_settings_page_shows_the_current_company(self):
        other = self.env["res.company"].create({"name": "Second clinic"})
        self.set_tag_settings(enabled=True, mode="always")
        settings = self.env["clinic.settings"].with_company(other).create({})
        self.assertFalse(settings.clinic_call_tags)
        settings.write({"clinic_call_tags": True})
        settings.execute()
        self.assertTrue(other.clinic_call_tags)
        self.assertEqual(self.env.company.clinic_call_tag_mode, "always")
