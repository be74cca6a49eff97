"""What `make run` shows a newcomer: the demo data, every demo login, every page they can reach.

The demo is loaded (`seed_demo`), then each demo role (and a visitor) starts at the home page and
follows every link of ours it is shown, breadth first, a few pages per URL name: no page may answer
5xx. Afterwards every URL name of ours must have been reached by some role, except the few no link
leads to by GET (listed with the reason). The test runs on whatever database the suite runs on: on
SQLite in `make test`, on PostgreSQL in CI's second phase.
"""

from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

import meetings.demo
import network.demo
from kloss_site.tests.test_url_matrix import our_url_names
from network.models import User
from network.tests.factories import login
from tests.support.html import Page

# Pages of each URL name visited per role (other ids, filters, pages of a list): enough to meet every
# kind of row a page shows, bounded so the walk stays a few seconds per role.
PER_NAME = 5
# Every meeting's page, though: what a host or the secretariat may do differs with the meeting's state
# (coming, held, minutes published), and the demo has a few dozen.
EVERY = {"meetings:meeting_detail"}
# Areas that are not the site's own pages: the admin (its own suite), allauth's account pages,
# static files, the language switch (a POST).
SKIPPED_PREFIXES = ("/admin/", "/accounts/", "/static/", "/media/", "/i18n/")
# URL names no page links to with a GET (each one is tested by its own view tests and the URL x role
# matrix): what a form posts to, what a calendar app or a mail link opens, what only an operator calls.
NOT_LINKED = {
    "healthz": "called by the operator's monitoring",
    "landing": "the visitor's page; a signed-in role is sent home",
    "meetings:minutes_status": "approve or publish minutes (a POST): offered once the comments' deadline has "
    "passed, and the demo's minutes are still open for comments",
}
# Namespaces no page links to: the API (/api/v1/), read by the member institutions' own systems with
# a token (kloss_site/tests/test_api.py, and its rows in the URL x role matrix).
NOT_LINKED_NAMESPACES = ("api:",)


def _links(html: str) -> list[str]:
    """Where a page leads: its links, what its forms post to (a GET of a POST-only view must answer
    too: 405, in the site's layout, never 5xx), and an address it shows to copy (the calendar feed's)."""
    page = Page(html)
    return [
        *(a.get("href") for a in page.find_all("a", href=True)),
        *(form.get("action") for form in page.find_all("form", action=True)),
        *(field.get("value") for field in page.find_all("input", readonly=True) if field.get("value")),
    ]


def _name_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _walk(client: Client) -> tuple[Counter, list[str]]:
    """Follow the site's links from the home page; returns the URL names seen and the failures."""
    ours = {"testserver", urlsplit(settings.SITE_URL).netloc}
    seen_names: Counter = Counter()
    visited: set[str] = set()
    failures: list[str] = []
    queue = deque(["/"])
    while queue:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        path = urlsplit(url).path
        name = _name_of(path)
        if name is not None:
            if seen_names[name] >= PER_NAME and name not in EVERY:
                continue
            seen_names[name] += 1
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{url} answered {response.status_code}")
            continue
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in _links(response.content.decode()):
            parts = urlsplit(urldefrag(href).url)
            if parts.netloc in ours:  # an absolute address of this site (the feed's, a link in a text)
                parts = urlsplit(parts.path + (f"?{parts.query}" if parts.query else ""))
            href = parts.geturl()
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site, mailto:, tel:, a fragment of this page
            if parts.path.startswith(SKIPPED_PREFIXES):
                continue
            queue.append(href)
    return seen_names, failures


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the demo's files (a consultation response's PDF)
    settings.DEBUG = False  # as the pages are served in production: errors are pages, not tracebacks
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_demo_role_reaches_every_page_without_a_server_error(demo):
    logins = [email for email, _role in [*network.demo.DEMO_LOGINS, *meetings.demo.demo_logins()]]
    assert len(logins) == 6, "the README names six demo logins, the host contact's among them"
    reached: Counter = Counter()
    failures: list[str] = []
    for email in [None, *logins]:
        client = Client(raise_request_exception=False)
        if email is not None:
            login(client, User.objects.get(email=email))
        names, failed = _walk(client)
        reached.update(names)
        failures += [f"{email or 'visitor'}: {failure}" for failure in failed]
        # A positive control per role: the walk got past the front door.
        assert sum(names.values()) > (1 if email is None else 5), f"{email or 'visitor'} reached almost nothing"
    assert not failures, "\n".join(failures)
    missing = {
        name for name in our_url_names() - set(reached) - set(NOT_LINKED) if not name.startswith(NOT_LINKED_NAMESPACES)
    }
    assert not missing, f"no demo role reached these pages by a link: {sorted(missing)}"
