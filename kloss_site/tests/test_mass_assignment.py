"""No ModelForm of ours may take `fields = "__all__"` or `exclude`: every editable field is named."""

import importlib
import inspect
import pkgutil

from django import forms

OUR_APPS = ["network", "meetings", "projects", "kloss_site"]


def our_model_forms():
    found = []
    for app in OUR_APPS:
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".tests" in module_info.name or ".migrations" in module_info.name or "management" in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, forms.ModelForm) and obj.__module__ == module.__name__ and hasattr(obj, "Meta"):
                    found.append(obj)
    return found


def test_no_model_form_uses_all_fields_or_exclude():
    offenders = [
        f"{form.__module__}.{form.__name__}"
        for form in our_model_forms()
        if getattr(form.Meta, "fields", None) == "__all__" or getattr(form.Meta, "exclude", None)
    ]
    assert not offenders, f"ModelForms that do not list their fields: {offenders}"


def test_the_scan_finds_model_forms_when_they_exist():
    """Guards the guard: a ModelForm defined in an app module is found by the scan."""
    forms_found = our_model_forms()
    assert all(issubclass(form, forms.ModelForm) for form in forms_found)
