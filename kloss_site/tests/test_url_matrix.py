"""Every URL of ours x every role: the permission matrix.

Each app contributes `<app>/tests/url_matrix.py` with two functions:

    def build(world: dict) -> None
        Add the app's objects to `world` and make the role users what their role means for this app
        (e.g. meetings makes `world["host_contact"]` a member of the host institution of
        `world["meeting"]`; projects makes `world["participant"]` a participant of `world["project"]`).
    def cases(world: dict) -> list[tuple[str, dict, dict]]
        (url name, reverse kwargs, {role: expected}) for GET requests. `expected` is an HTTP status
        (200, 403, 404, 405, ...), "login" (redirect to the login page), "pending" (redirect to the
        applicant's "waiting for approval" page) or "mfa" (redirect to set up a second factor, for
        staff without one). Every role of ROLES must be given.

The roles: ROLES, each made by `make_role_users` and logged in by `login_as` (as a real login
leaves the session: staff with TOTP have the second factor recorded). A new role is one entry in
ROLES, one user in `make_role_users`, and one key in the apps' shared expectation dicts.

The test fails when a named URL of ours is in no app's cases, so a new view cannot ship untested.

Nothing a role may not open reaches a list it sees: on every page a role may open (200), each link
to a page of ours and each option of a list that names an object with a page of its own (OPTION_PAGES)
is requested as that role, and none may answer 403 or 404 (`test_no_page_offers_a_role_what_it_may_not_open`).
"""

import importlib
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from network.models import Member
from network.tests.factories import (
    ApplicantFactory,
    InstitutionFactory,
    MemberFactory,
    StaffUserFactory,
    activate_totp,
    login,
)
from tests.support.html import offered

ROLES = ["anonymous", "applicant", "member", "host_contact", "participant", "staff", "staff_without_mfa"]
APPS = ["network", "meetings", "projects", "kloss_site"]
# Namespaces and names that are not ours (allauth, the admin, i18n) are tested by their own suites.
OUR_NAMESPACES = {"network", "meetings", "projects", "api"}
OUR_ROOT_NAMES = {"landing", "home", "healthz"}


def our_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if namespace in OUR_NAMESPACES:
                    names.add(f"{namespace}:{pattern.name}")
                elif namespace is None and pattern.name in OUR_ROOT_NAMES:
                    names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def matrix_modules():
    modules = []
    for app in APPS:
        try:
            modules.append(importlib.import_module(f"{app}.tests.url_matrix"))
        except ModuleNotFoundError as error:
            if error.name != f"{app}.tests.url_matrix":
                raise
    return modules


def make_role_users(institution) -> dict:
    """One user per role (None: anonymous). `staff` is the secretariat as it logs in: TOTP set up
    and used; `staff_without_mfa` has a password only (and, like `staff`, no Member row)."""
    staff = StaffUserFactory()
    activate_totp(staff)
    return {
        "anonymous": None,
        "applicant": ApplicantFactory(institution=institution).user,
        "member": MemberFactory(institution=institution).user,
        "host_contact": MemberFactory().user,
        "participant": MemberFactory().user,
        "staff": staff,
        "staff_without_mfa": StaffUserFactory(),
    }


def login_as(client, world: dict, role: str) -> None:
    """Log the client in as `role` (anonymous: logged out), the way a real login leaves the session."""
    client.logout()
    if world[role] is not None:
        login(client, world[role])


def mfa_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.fixture
def world(db):
    institution = InstitutionFactory()
    world = {"institution": institution, **make_role_users(institution)}
    assert set(ROLES) <= set(world), "make_role_users must make a user for every role"
    for module in matrix_modules():
        module.build(world)
    return world


def all_cases(world):
    cases = []
    for module in matrix_modules():
        cases.extend(module.cases(world))
    return cases


def test_every_url_of_ours_is_in_the_matrix(world):
    covered = {name for name, _, _ in all_cases(world)}
    missing = our_url_names() - covered
    assert not missing, f"URLs without a row in any <app>/tests/url_matrix.py: {sorted(missing)}"


def test_every_role_gets_what_it_may(world, client):
    failures = []
    for name, kwargs, expected_by_role in all_cases(world):
        assert set(expected_by_role) == set(ROLES), f"{name}: give every role of {ROLES}"
        url = reverse(name, kwargs=kwargs)
        for role in ROLES:
            login_as(client, world, role)
            response = client.get(url)
            expected = expected_by_role[role]
            if expected == "login":
                ok = response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
            elif expected == "pending":
                ok = response.status_code == 302 and response["Location"] == reverse("network:application_status")
            elif expected == "mfa":
                ok = mfa_redirect(response)
            else:
                ok = response.status_code == expected
            if not ok:
                failures.append(f"{role:<12} GET {url} ({name}): expected {expected}, got {response.status_code}")
            if world[role] is not None:
                failures += private_cache_problems(name, url, role, response)
    assert not failures, "\n".join(failures)


# Pages that choose their own private caching (PrivateCacheMiddleware keeps it): the calendar feed,
# which calendar apps poll with its ETag for a short while.
OWN_PRIVATE_CACHING = {"meetings:calendar_feed": {"private", "max-age=900"}}
# And the API's answers, which a client may keep and revalidate with their ETag (network/api/base.py).
OWN_PRIVATE_CACHING |= {
    f"api:{basename}-{kind}": {"private", "no-cache"}
    for basename in ("institution", "meeting", "theme", "decision", "action", "project", "output", "uptake")
    for kind in ("list", "detail")
}


def private_cache_problems(name, url, role, response) -> list[str]:
    """Whatever a signed-in user gets (a page, a redirect, a refusal, a file) no shared or browser
    cache may store: at least `private, no-store` (/healthz's `never_cache` says more)."""
    expected = {"private", "no-store"}
    if name in OWN_PRIVATE_CACHING and response.status_code == 200:
        expected = OWN_PRIVATE_CACHING[name]
    got = response.get("Cache-Control", "")
    if not expected <= {part.strip() for part in got.split(",")}:
        return [f"{role:<12} GET {url} ({name}): Cache-Control {got!r}, expected {', '.join(sorted(expected))}"]
    return []


# The lists to choose from whose values are the primary keys of objects with a page of their own:
# an option is offered as a link to that page would be.
OPTION_PAGES = {
    "meeting": "meetings:meeting_detail",
    "due_meeting": "meetings:meeting_detail",
    "spin_out": "projects:project_detail",
    "owner": "network:member_detail",
    "owner_member": "network:member_detail",
    "member": "network:member_detail",
    "stand_in": "network:member_detail",
    "present": "network:member_detail",
    "others": "network:member_detail",
}
REFUSED = {403, 404}
# A member's own pages, which staff without a Member row have not (404): the meeting list is one page
# for the steering group's seats and the secretariat, and links to "your calendar feed".
OWN_PAGES_OF_A_MEMBER = {"meetings:calendar"}


def offered_targets(html: str, ours: set[str]) -> set[str]:
    """The pages of ours a page links to (without the #anchor), and the pages of the objects its
    lists offer."""
    page = offered(html)
    targets = set()
    for href in page.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # elsewhere, or an anchor on the page itself
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        if match.view_name in ours:
            targets.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    for select, url_name in OPTION_PAGES.items():
        targets.update(reverse(url_name, kwargs={"pk": int(v)}) for v in page.values(select) if v.isdigit())
    return targets


def test_no_page_offers_a_role_what_it_may_not_open(world, client):
    """Role by role: every page it may open, then every page of ours those pages link to or offer in
    a list, each requested once. The pages are read in the matrix's order and the roles one after the
    other, so a list cached for one role and shown to another is caught."""
    ours = our_url_names()
    pages = {role: [] for role in ROLES}
    for name, kwargs, expected_by_role in all_cases(world):
        for role in ROLES:
            if expected_by_role[role] == 200:
                pages[role].append(reverse(name, kwargs=kwargs))
    failures = []
    checked = 0
    for role in ROLES:
        login_as(client, world, role)
        offers: dict[str, str] = {}  # target -> the first page that offers it
        for url in dict.fromkeys(pages[role]):
            response = client.get(url)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                for target in sorted(offered_targets(response.content.decode(), ours)):
                    offers.setdefault(target, url)
        has_member_row = Member.objects.filter(user=world[role]).exists() if world[role] else False
        for target, page in offers.items():
            if not has_member_row and resolve(urlsplit(target).path).view_name in OWN_PAGES_OF_A_MEMBER:
                continue
            status = client.get(target).status_code
            checked += 1
            if status in REFUSED:
                failures.append(f"{role:<12} {page} offers {target}, which answers {status}")
    assert checked > 100, "the pages offered too few links and options to check"  # the check ran
    assert not failures, "\n".join(failures)
