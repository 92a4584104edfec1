"""Private by default (SPEC R7): one checker, one allow-list per addon.

Any method whose name does not start with ``_`` can be called by every logged-in
user over JSON-RPC (``/web/dataset/call_kw``). Only what the web client calls
(view buttons, ``orm.call`` in our JS, tours) may be public; what serves
controllers, crons or other models gets a leading underscore.

:func:`public_methods` walks the registry's model classes and lists the public
methods an addon *introduces* (overrides of Odoo's or another addon's public
methods, like ``create``, belong to whoever introduced them). Each addon's
``tests/test_public_methods.py`` mixes :class:`PublicMethodsCase` into a
``TransactionCase`` with its allow-list, so a new public method makes that test
fail until someone decides it belongs there.
"""

import inspect


def _addon_of(klass):
    module = getattr(klass, "__module__", "") or ""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["odoo", "addons"] else None


def _is_method(value):
    return inspect.isfunction(value) or isinstance(value, staticmethod | classmethod)


def public_methods(registry, addon):
    """``{model name: {method names}}`` of the public methods ``addon`` introduces."""
    found = {}
    for model_name in registry:
        mro = registry[model_name].__mro__
        for klass in mro:
            if _addon_of(klass) != addon:
                continue
            for name, value in vars(klass).items():
                if name.startswith("_") or not _is_method(value):
                    continue
                # The least derived class defining the name is where it was introduced.
                origin = [k for k in mro if name in vars(k)][-1]
                if _addon_of(origin) == addon:
                    found.setdefault(model_name, set()).add(name)
    return found


class PublicMethodsCase:
    """Mix into a TransactionCase; set ``ADDON`` and ``ALLOWED``."""

    ADDON = None
    #: ``{model name: {method names}}`` the web client calls
    ALLOWED = {}

    def test_r7_public_methods_match_allow_list(self):
        found = public_methods(self.env.registry, self.ADDON)
        allowed = {model: set(names) for model, names in self.ALLOWED.items() if names}
        unexpected = {
            f"{model}.{name}"
            for model, names in found.items()
            for name in names - allowed.get(model, set())
        }
        stale = {
            f"{model}.{name}"
            for model, names in allowed.items()
            for name in names - found.get(model, set())
        }
        self.assertFalse(
            unexpected,
            f"public methods of {self.ADDON} that the web client does not call? Make them "
            "private (leading underscore) or add them to the allow-list with the reason.",
        )
        self.assertFalse(stale, f"allow-list entries of {self.ADDON} that no longer exist")
