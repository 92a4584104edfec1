"""One access rule for the clinic's record bus channels (R6; issue 15.5)."""

from odoo.tests import TransactionCase, tagged

from .common import ClinicMultiCompanyCommon


@tagged("post_install", "-at_install")
class TestRecordChannels(ClinicMultiCompanyCommon, TransactionCase):
    def channels(self, user, names):
        return (
            self.env["ir.websocket"].with_user(user)._clinic_record_channels(names, "res.partner")
        )

    def test_r6_operators_hear_only_records_they_may_read(self):
        names = [
            f"res.partner_{self.patient_a.id}",
            f"res.partner_{self.patient_b.id}",  # the other clinic's
            "res.partner_999999999",  # gone
            "mail.something",  # not ours: untouched
            ("res.partner", 1),
        ]
        self.assertEqual(
            self.channels(self.operator, names),
            ["mail.something", ("res.partner", 1), self.patient_a],
        )
        self.assertEqual(
            self.channels(self.operator_b, names),
            ["mail.something", ("res.partner", 1), self.patient_b],
        )

    def test_r6_refused_names_are_dropped_not_kept_as_strings(self):
        name = f"res.partner_{self.patient_a.id}"
        for user in (self.plain_user, self.env.ref("base.public_user")):
            with self.subTest(user=user.login):
                self.assertEqual(self.channels(user, [name]), [])
