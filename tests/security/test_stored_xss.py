"""Stored XSS: a hostile payload in every free-text field of ours renders escaped on every page that
shows it (the URL matrix pages, for the roles that may see them); URL fields refuse `javascript:`."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from kloss_site.tests.test_url_matrix import ROLES, all_cases, login_as, world  # noqa: F401 - `world` is a fixture

OUR_APPS = ["network", "meetings", "projects"]
# The payload, in pieces: each is dangerous only if it reaches the page unescaped.
RAW = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>"]
SKIP_FIELDS = {"password", "calendar_token", "object_key", "kind", "last_error", "target"}


def _payload(pk: int, max_length: int | None) -> str | None:
    for candidate in (f"X{pk}{''.join(RAW)}", f"X{pk}{RAW[1]}", f"X{pk}{RAW[0]}"):
        if max_length is None or len(candidate) <= max_length:
            return candidate
    return None


def _free_text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.EmailField | models.SlugField | models.URLField)
        and not field.choices
        and field.name not in SKIP_FIELDS
        and not field.primary_key
    ]


def poison_every_free_text_field() -> list[str]:
    """Write the payload into every free-text field of every row of our models; returns "model.field"."""
    poisoned = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model.__name__.startswith("Historical"):
            continue
        fields = _free_text_fields(model)
        for row in model._default_manager.all():
            values = {f.name: _payload(row.pk, f.max_length) for f in fields}
            values = {name: value for name, value in values.items() if value}
            if values:
                model._default_manager.filter(pk=row.pk).update(**values)
                poisoned += [f"{model.__name__}.{name}" for name in values]
    return sorted(set(poisoned))


def test_stored_payload_renders_escaped_on_every_page(world, client):  # noqa: F811
    poisoned = poison_every_free_text_field()
    for expected in ("User.first_name", "Member.title", "Meeting.venue", "Project.title", "Project.summary"):
        assert expected in poisoned, poisoned
    problems, pages, escaped_seen = [], 0, 0
    for name, kwargs, expected in all_cases(world):
        url = reverse(name, kwargs=kwargs)
        for role in ROLES:
            if expected[role] != 200:
                continue
            login_as(client, world, role)
            response = client.get(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            pages += 1
            page = response.content.decode()
            problems += [f"{role} GET {url}: unescaped {raw!r}" for raw in RAW if raw in page]
            if "<img src=x" in page or 'href="javascript:' in page.lower():
                problems.append(f"{role} GET {url}: an injected element or script URL in the markup")
            escaped_seen += "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;img src=x" in page
    print(f"\nstored XSS: {len(poisoned)} fields poisoned, {pages} page views checked")
    assert pages >= 50
    assert escaped_seen >= 20  # the payload is really shown (escaped) on many pages
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "scheme", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,x"]
)
def test_url_fields_refuse_script_urls(scheme):
    from projects.forms import LinkForm, OutputForm

    link = LinkForm(data={"title": "Länk", "url": scheme})
    assert not link.is_valid() and "url" in link.errors
    output = OutputForm(data={"type": "report", "title": "R", "year": 2025, "url": scheme})
    assert not output.is_valid() and "url" in output.errors
