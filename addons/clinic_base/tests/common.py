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
