"""End-to-end browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

How to write a journey (see test_pages.py and test_keyboard.py for examples):

    @pytest.mark.browser
    @viewports                                   # runs the test at 360 px ("phone") and 1280 px ("desktop")
    def test_member_rsvps(site, world):
        site.login(world.member.user)            # session cookie from the test client's force_login
        site.goto(reverse("meetings:meeting_detail", args=[meeting.pk]))
        site.check("meeting")                    # axe (WCAG 2.0/2.1 A+AA) + no sideways scroll + screenshot
        site.page.get_by_role("button", name="Yes").click()
        site.check("answered", languages=("sv", "en"))  # the same page in both languages
        tab_to(site.page, "input[name=comment]")  # keyboard: Tab until the field has the focus

`site` gives one fresh browser context (its own cookies) per test; the Chromium process is shared by
the whole session. `site.page` is a plain Playwright Page. Logging in:
- `site.login(user)` injects a session cookie made by Django's test client `force_login` (fast; use
  it whenever the login itself is not what the test is about);
- `site.login_with_form(email, password)` types into allauth's real login form.

Results the CI keeps (the folder `test-results/`, git-ignored, named in the README):
- `test-results/screenshots/<test>/<step>.png`: a full-page PNG at every `site.check()` and
  `site.screenshot()`;
- `test-results/accessibility/pages-checked.txt`: every page axe checked (path, language, width).

Settings: DEBUG stays off as in production, so SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE are True.
Chromium treats http://localhost as a secure context and keeps Secure cookies there, so logging in
over the live server's http://localhost works without overriding them (test_keyboard.py proves it).
"""

import copy
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.services import chromium_executable

# Playwright's sync API keeps an asyncio loop in the main thread; Django would refuse ORM calls from
# the test thread ("You cannot call this from an async context") without this, in this process only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
SCREENSHOT_DIR = RESULTS_DIR / "screenshots"
ACCESSIBILITY_DIR = RESULTS_DIR / "accessibility"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WIDTHS = {"phone": 360, "desktop": 1280}
HEIGHTS = {360: 740, 1280: 800}
# WCAG 2.0 and 2.1, levels A and AA: the level the Swedish law (DOS-lagen) requires.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

# Every page axe checked in this session: (path, language, width, violation count).
PAGES_CHECKED: list[tuple[str, str, int, int]] = []

viewports = pytest.mark.parametrize("width", list(WIDTHS.values()), ids=list(WIDTHS), indirect=True)
"""Decorator: run the test at 360 px and 1280 px wide (the `width` fixture)."""


# --- Accessibility ------------------------------------------------------------------------------


def format_violations(violations: list[dict]) -> str:
    """One readable block per violated rule: id, impact, what it means, and the offending elements."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}  <{violation['helpUrl']}>")
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def assert_accessible(page, label: str | None = None) -> None:
    """Run axe-core (bundled by axe-playwright-python) on the page as it is now: zero WCAG 2.0/2.1
    A and AA violations, or fail listing each violated rule with its impact and target selectors.
    The page goes into the record of pages checked under its path (or `label`, for set_content pages)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    path = label or re.sub(r"^https?://[^/]+", "", page.url) or "/"
    language = page.evaluate("document.documentElement.lang") or "?"
    PAGES_CHECKED.append((path, language, page.viewport_size["width"], len(violations)))
    if violations:
        pytest.fail(
            f"axe found {len(violations)} WCAG A/AA violation(s) on {path} "
            f"(lang={language}, {page.viewport_size['width']} px):\n{format_violations(violations)}",
            pytrace=False,
        )


def assert_no_sideways_scroll(page) -> None:
    """The page fits its viewport: nothing forces a horizontal scrollbar (WCAG 1.4.10 Reflow)."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        culprits = page.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .slice(0, 8)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                     + (typeof el.className === 'string' && el.className ? '.' + el.className.trim() : '')
                     + ' right=' + Math.round(el.getBoundingClientRect().right))""",
            width,
        )
        pytest.fail(
            f"{page.url} scrolls sideways at {width} px (scrollWidth {scroll_width}), too wide: {culprits}",
            pytrace=False,
        )


# --- The keyboard ------------------------------------------------------------------------------


def focused(page) -> str:
    """The focused element, e.g. `input[name=login]` or `a.skip-link`."""
    return page.evaluate(
        """() => { const el = document.activeElement;
                   return el.tagName.toLowerCase() + (el.name ? `[name=${el.name}]` : '')
                          + (el.className ? '.' + el.className.split(' ')[0] : ''); }"""
    )


def tab_to(page, selector: str, limit: int = 25) -> int:
    """Press Tab until `selector` has the focus; the number of presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} never got the focus in {limit} presses of Tab (last: {focused(page)})")


# --- The browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _chromium():
    """One headless Debian Chromium for the whole session (None when it is not installed: the
    function-scoped `site` fixture then skips, or fails under KLOSS_REQUIRE_SERVICES=1)."""
    path = chromium_executable()
    if not path:
        yield None
        return
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@pytest.fixture
def width(request) -> int:
    """The viewport width; 1280 unless the test is parametrized with `@viewports`."""
    return getattr(request, "param", WIDTHS["desktop"])


def _test_dir_name(request) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-\[\]]+", "_", request.node.name)


@dataclass
class Site:
    """The browser side of one test: a page in its own context, pointed at the live server."""

    page: object  # playwright.sync_api.Page
    base_url: str
    width: int
    screenshot_dir: Path

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"GET {path} answered {response and response.status}"
        return response

    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)

    # Language: the cookie Django's set_language view writes; the page is reloaded in that language.
    def set_language(self, code: str) -> None:
        from django.conf import settings

        self.page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": self.base_url}])

    def language(self) -> str:
        return self.page.evaluate("document.documentElement.lang")

    # Logging in.
    def login(self, user) -> None:
        """Log `user` in by giving the browser a session made with the test client's force_login,
        with the steps a real login records (staff: the second factor, network/tests/factories.login)."""
        from django.conf import settings
        from django.test import Client

        from network.tests.factories import login

        client = Client()
        login(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": self.base_url, "httpOnly": True}]
        )

    def login_with_form(self, email: str, password: str) -> None:
        """Log in through allauth's real login form (with the mouse; see test_keyboard for keys)."""
        from django.urls import reverse

        self.goto(reverse("account_login"))
        self.page.locator("input[name=login]").fill(email)
        self.page.locator("input[name=password]").fill(password)
        self.page.locator("form button[type=submit]").last.click()
        self.page.wait_for_load_state()

    # Evidence.
    def screenshot(self, step: str) -> Path:
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        path = self.screenshot_dir / f"{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def check(self, step: str, languages: tuple[str, ...] = (), label: str | None = None) -> None:
        """The page as it is now: axe finds nothing, it fits the width, and a screenshot is kept.
        With `languages`, the current URL is reloaded and checked once per language."""
        if not languages:
            self.screenshot(step)
            assert_no_sideways_scroll(self.page)
            assert_accessible(self.page, label=label)
            return
        for code in languages:
            self.set_language(code)
            self.page.reload()
            assert self.language() == code, f"{self.path()} did not switch to {code}"
            self.check(f"{step}-{code}")


@pytest.fixture
def site(request, chromium_path, _chromium, live_server, width, settings) -> Site:
    """A fresh browser context and page for this test (Swedish browser, `width` px wide).

    The cache gets a key prefix of its own for this test: allauth keeps its rate limits (failed
    logins per IP, signups per IP) in the cache, and every test's browser comes from 127.0.0.1."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"e2e-{uuid.uuid4().hex[:12]}"
    settings.CACHES = caches
    context = _chromium.new_context(
        viewport={"width": width, "height": HEIGHTS.get(width, 800)},
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        base_url=live_server.url,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield Site(
            page=page, base_url=live_server.url, width=width, screenshot_dir=SCREENSHOT_DIR / _test_dir_name(request)
        )
    finally:
        context.close()


# --- People and places the pages show -----------------------------------------------------------


@dataclass
class World:
    member: object
    applicant: object
    staff: object
    institution: object


@pytest.fixture
def world(transactional_db, settings) -> World:
    """A small network: a few institutions with members, an applicant and the secretariat.
    (Passwords are hashed with MD5 here, only to keep these tests fast.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from network.tests.factories import (
        ApplicantFactory,
        InstitutionFactory,
        MemberFactory,
        StaffUserFactory,
        activate_totp,
    )

    institution = InstitutionFactory(name="Malmö universitet", short_name="MAU", slug="mau")
    member = MemberFactory(institution=institution, user__first_name="Anna", user__last_name="Lind")
    MemberFactory.create_batch(3, institution=institution)
    MemberFactory.create_batch(2)
    applicant = ApplicantFactory(institution=institution, user__first_name="Maria", user__last_name="Berg")
    staff = StaffUserFactory()
    activate_totp(staff)  # the secretariat has its second factor, as staff rights need
    return World(member=member, applicant=applicant, staff=staff, institution=institution)


# --- The record of pages checked ----------------------------------------------------------------


def pytest_sessionfinish(session, exitstatus):
    if not PAGES_CHECKED:
        return
    ACCESSIBILITY_DIR.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    path = ACCESSIBILITY_DIR / (f"pages-checked-{worker}.txt" if worker else "pages-checked.txt")
    lines = [f"{p}\tlang={lang}\t{w}px\tviolations={n}" for p, lang, w, n in PAGES_CHECKED]
    path.write_text("\n".join(lines) + "\n")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not PAGES_CHECKED:
        return
    pages = sorted({p for p, *_ in PAGES_CHECKED})
    terminalreporter.write_line(
        f"axe checked {len(PAGES_CHECKED)} page views ({len(pages)} distinct URLs); "
        f"list in {ACCESSIBILITY_DIR.relative_to(RESULTS_DIR.parent)}/"
    )
