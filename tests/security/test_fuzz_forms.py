"""Every form class of ours, fed hostile input directly: no exception, and invalid input has errors."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kloss_site.tests.test_url_matrix import world  # noqa: F401 - a fixture
from tests.security.strategies import file_names, post_data

pytestmark = pytest.mark.slow  # hypothesis: hundreds of examples per form and view

OUR_APPS = ["network", "meetings", "projects", "kloss_site"]
EXAMPLES = 30


def our_forms():
    """Every Form/ModelForm class defined in an app module of ours (as the mass-assignment test scans)."""
    found = {}
    for app in OUR_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".tests" in info.name or ".migrations" in info.name or "management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                    if issubclass(obj, forms.ModelForm) and not hasattr(obj, "Meta"):
                        continue
                    found[f"{obj.__module__}.{obj.__name__}"] = obj
    return found


FORMS = our_forms()


def _kwargs_for(form_class, objects) -> dict:
    """The keyword arguments a form's __init__ demands (user, member, project, ...) from the world."""
    from network.models import Member

    available = {
        "user": objects["member"],
        "member": Member.objects.get(user=objects["member"]),
        "project": objects.get("project"),
        "meeting": objects.get("meeting"),
        "minutes": objects.get("minutes"),
        "items": list(objects["minutes"].items.all()) if objects.get("minutes") else [],
        "steering": True,  # a proposal form as a steering-group seat sees it: both audiences to choose
    }
    kwargs = {}
    for klass in form_class.__mro__:
        if "__init__" not in vars(klass):
            continue
        for name, param in inspect.signature(klass.__init__).parameters.items():
            if param.kind == param.KEYWORD_ONLY and name in available:
                kwargs.setdefault(name, available[name])
    return kwargs


def as_querydict(data: dict) -> QueryDict:
    """What a request delivers: a QueryDict (a list value becomes a repeated key)."""
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def _file_fields(form_class) -> list[str]:
    return [name for name, field in form_class.base_fields.items() if isinstance(field, forms.FileField)]


files_strategy = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    file_names,
    st.one_of(st.binary(max_size=200), st.sampled_from([b"%PDF-1.4", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n"])),
)


def test_every_form_is_found():
    assert len(FORMS) >= 15, sorted(FORMS)
    print(f"\nfuzzed form classes: {len(FORMS)}, {EXAMPLES} examples each")


@pytest.mark.parametrize("path", sorted(FORMS))
def test_form_survives_hostile_input(path, world):  # noqa: F811
    form_class = FORMS[path]
    kwargs = _kwargs_for(form_class, world)
    count = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        database=None,
    )
    @given(data=post_data(form_class.base_fields), upload=st.one_of(st.none(), files_strategy))
    def run(data, upload):
        nonlocal count
        count += 1
        files = dict.fromkeys(_file_fields(form_class), upload) if upload is not None else {}
        form = form_class(data=as_querydict(data), files=files, **kwargs)
        if not form.is_valid():
            assert form.errors, f"{path}: invalid but without an error message"
        else:
            assert set(form.cleaned_data) <= set(form.fields)

    run()
    print(f"\n{path}: {count} examples")
