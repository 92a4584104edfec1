from odoo.tests import new_test_user

LANGS = ("ru_RU", "de_DE")


def load_languages(env, modules):
    """Activate ru and de with the given addons' translations (test databases have none)."""
    for lang in LANGS:
        env["res.lang"]._activate_lang(lang)
    env["ir.module.module"]._load_module_terms(modules, list(LANGS))


class ClinicBaseCommon:
    """Shared fixtures: a clinic in Germany, an operator and a few patients."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.company.country_id = cls.env.ref("base.de")
        cls.operator = new_test_user(
            cls.env, login="clinic_operator", groups="clinic_base.group_clinic_operator"
        )
        cls.plain_user = new_test_user(cls.env, login="clinic_plain", groups="base.group_user")
        cls.practitioner = new_test_user(cls.env, login="clinic_doc", groups="base.group_user")
        Partner = cls.env["res.partner"]
        cls.anna = Partner.create(
            {
                "name": "Anna Schmidt",
                "is_patient": True,
                "birthdate": "1980-02-03",
                "phone": "030 1234567",
                "mobile": "0151 23456789",
            }
        )
        cls.boris = Partner.create(
            {"name": "Boris Ivanov", "is_patient": True, "mobile": "+7 916 234-56-78"}
        )


class ClinicMultiCompanyCommon(ClinicBaseCommon):
    """Two clinics kept apart (R6, issue 11.2): every addon's multi-company tests build on it.

    Company A is the current company (Germany, Berlin) with ClinicBaseCommon's
    operator; Anna and Boris have no company and are shared by both clinics.
    Company B is a clinic in Austria (Vienna time) with its own operator. Each
    clinic has a patient of its own, and both of them answer to the same
    number (``SHARED_NUMBER``), so that a lookup shows which clinic it searched.
    A user of one clinic must never see the other's patients, numbers or records.
    """

    SHARED_NUMBER = "+43 660 5550123"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_a.clinic_tz = "Europe/Berlin"
        cls.company_b = cls.env["res.company"].create(
            {
                "name": "Clinic B (Vienna)",
                "country_id": cls.env.ref("base.at").id,
                "clinic_tz": "Europe/Vienna",
            }
        )
        cls.operator_b = new_test_user(
            cls.env,
            login="clinic_operator_b",
            name="Bruno Operator",
            groups="clinic_base.group_clinic_operator",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
            tz="Europe/Vienna",
        )
        Partner = cls.env["res.partner"]
        cls.patient_a = Partner.create(
            {
                "name": "Ada Aachen",
                "is_patient": True,
                "company_id": cls.company_a.id,
                "birthdate": "1971-01-01",
                "mobile": cls.SHARED_NUMBER,
            }
        )
        cls.patient_b = Partner.create(
            {
                "name": "Berta Bauer",
                "is_patient": True,
                "company_id": cls.company_b.id,
                "birthdate": "1982-02-02",
                "mobile": cls.SHARED_NUMBER,
            }
        )
