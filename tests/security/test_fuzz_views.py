"""Every POST view of ours (network, meetings, projects), fed hostile input by users who may use it.

Zero server errors: the test client re-raises any exception a view lets through, and no answer is a
500. Invalid input is answered with the form again and its errors (200) or a redirect with a message.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings

from kloss_site.tests.test_url_matrix import all_cases, login_as, world  # noqa: F401 - `world` is a fixture
from tests.security.strategies import post_data
from tests.security.test_fuzz_forms import FORMS

pytestmark = pytest.mark.slow  # hypothesis: hundreds of examples per form and view

EXAMPLES = 20
OUR_NAMESPACES = ("network:", "meetings:", "projects:")
ALL_FIELD_NAMES = sorted({name for form in FORMS.values() for name in form.base_fields})
# Who tries first: the role with the most rights on the object, then the others who may see it.
ROLE_ORDER = ["staff", "host_contact", "participant", "member", "applicant", "anonymous"]
ERROR_MARKERS = ("errorlist", "message-error", 'aria-invalid="true"', "errornote", 'class="error')
# Input good enough for a confirmation step: the page asks her to confirm (messages to members' preview).
CONFIRMATION_MARKERS = ('name="action" value="send"',)


def _accepts_post(url: str) -> bool:
    view = getattr(resolve(url).func, "view_class", None)
    return view is not None and hasattr(view, "post") and "post" in view.http_method_names


def post_views(world) -> list[tuple[str, str, list[str], list[str]]]:  # noqa: F811
    """(name, url, roles to fuzz as, field names) for every POST view in the URL matrix."""
    found = []
    for name, kwargs, expected in all_cases(world):
        if not name.startswith(OUR_NAMESPACES):
            continue
        url = reverse(name, kwargs=kwargs)
        if not _accepts_post(url):
            continue
        allowed = [role for role in ROLE_ORDER if expected[role] in (200, 405)]
        if not allowed:
            continue  # a row of refusals only (a hidden or closed object): nothing reaches the form
        roles = allowed[:1]  # the strongest role that may use it (the others are refused before the form)
        view = resolve(url).func.view_class
        form_class = getattr(view, "form_class", None)
        fields = list(form_class.base_fields) if form_class is not None else ALL_FIELD_NAMES
        found.append((name, url, roles, fields))
    # Our signup form rides on allauth's signup view: fuzzed there as the anonymous visitor it serves.
    signup_fields = ["email", "password1", "password2", *FORMS["network.forms.SignupExtraForm"].base_fields]
    found.append(("account_signup", reverse("account_signup"), ["anonymous"], signup_fields))
    return found


def test_post_views_found(world):  # noqa: F811
    views = post_views(world)
    assert len(views) >= 15, [v[0] for v in views]
    # Every view of ours that takes a POST is fuzzed as some role (in at least one of its rows).
    posting = {
        name
        for name, kwargs, _expected in all_cases(world)
        if name.startswith(OUR_NAMESPACES) and _accepts_post(reverse(name, kwargs=kwargs))
    }
    missing = posting - {name for name, _, roles, _ in views if roles}
    assert not missing, sorted(missing)


def _fuzz(client, counts, name, url, role, fields):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        database=None,
    )
    @given(data=post_data(fields))
    def run(data):
        counts[name] = counts.get(name, 0) + 1
        response = client.post(url, data)  # an exception in the view fails the test here
        assert response.status_code < 500, f"{role} POST {url}: {response.status_code}"
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            page = response.content.decode()
            said = list(get_messages(response.wsgi_request))
            assert said or any(marker in page for marker in ERROR_MARKERS + CONFIRMATION_MARKERS), (
                f"{role} POST {url} ({name}): 200 without an error or message for {data!r}"
            )

    run()


def test_every_post_view_survives_hostile_input(world, client):  # noqa: F811
    counts = {}
    for name, url, roles, fields in post_views(world):
        for role in roles:
            login_as(client, world, role)
            _fuzz(client, counts, name, url, role, fields)
    print("\nfuzzed POST views (examples): " + ", ".join(f"{name}={n}" for name, n in sorted(counts.items())))
    assert len(counts) >= 15
