"""The site's error pages (kloss_site/errors.py): 400, 403, 404, 405, 500 and a refused CSRF check, in
the site's layout (banner, navigation, main, footer), in her language, with the status kept and a way
on; the 500 page asks nothing of the database."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.utils import translation

from network.tests.factories import MemberFactory, login
from tests.support.html import Page

pytestmark = pytest.mark.django_db

TITLES = {
    400: {"en": "Bad request", "sv": "Felaktig begäran"},
    403: {"en": "Access denied", "sv": "Ingen behörighet"},
    404: {"en": "Page not found", "sv": "Sidan hittades inte"},
    405: {"en": "This cannot be done this way", "sv": "Det går inte att göra så här"},
    500: {"en": "Something went wrong", "sv": "Något gick fel"},
    "csrf": {"en": "The form could not be sent", "sv": "Formuläret kunde inte skickas"},
}
SITE = {"en": "KLOSS-Net intranet", "sv": "KLOSS-Nets intranät"}


def visitor(role: str, language: str) -> Client:
    client = Client(raise_request_exception=False)
    if role == "member":
        login(client, MemberFactory(user__first_name="Anna", user__last_name="Lind").user)
    if language != settings.LANGUAGE_CODE:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def assert_site_page(response, key, language: str) -> Page:
    """The page is the site's: its language, title and heading, and its landmarks."""
    page = Page(response.content)
    heading = TITLES[key][language]
    assert page.find("html").get("lang") == language
    assert page.title == f"{heading} · {SITE[language]}"
    assert page.find("h1").text == heading
    assert page.find("header", class_="site-header") is not None, "no banner"
    assert page.find("main", id="main") is not None, "no main landmark"
    assert page.find("footer", class_="site-footer") is not None, "no footer"
    assert page.find("a", class_="skip-link", href="#main") is not None
    return page


def links_in_main(page: Page) -> set[str]:
    main = page.find("main")
    return {element.get("href") for element in page.find_all("a") if main in element.ancestors()}


def assert_navigation_for(page: Page, role: str) -> None:
    """A member has her navigation and a way to her home page; a visitor the log-in and the start page."""
    nav_links = {
        element.get("href") for element in page.find_all("a") if any(a.tag == "nav" for a in element.ancestors())
    }
    if role == "member":
        assert reverse("home") in nav_links and reverse("meetings:meeting_list") in nav_links
        assert reverse("home") in links_in_main(page)
        assert page.find("button", type="submit", class_="link-button") is not None  # log out
    else:
        assert page.find("a", href=reverse("account_login")) is not None
        assert reverse("landing") in links_in_main(page)


@pytest.mark.urls("kloss_site.tests.error_urls")
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("role", ["anonymous", "member"])
@pytest.mark.parametrize("status", [400, 403, 404, 405])
def test_error_page_in_the_site_layout_and_her_language(status, role, language):
    response = visitor(role, language).get(f"/test-errors/{status}/")

    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = assert_site_page(response, status, language)
    assert_navigation_for(page, role)


@pytest.mark.urls("kloss_site.tests.error_urls")
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_server_error_page_in_the_site_layout_and_her_language(role, language):
    response = visitor(role, language).get("/test-errors/500/")

    assert response.status_code == 500
    page = assert_site_page(response, 500, language)
    # Who she is cannot be asked of the database here: the start page (which sends a member home).
    assert page.find("nav", class_="main-nav") is not None
    assert reverse("landing") in links_in_main(page)


@pytest.mark.urls("kloss_site.tests.error_urls")
def test_method_not_allowed_keeps_the_allow_header():
    response = visitor("anonymous", "sv").get("/test-errors/405/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert TITLES[405]["sv"] in response.content.decode()


@pytest.mark.urls("kloss_site.tests.error_urls")
def test_forbidden_page_for_a_visitor_offers_the_login_back_to_the_page():
    page = Page(visitor("anonymous", "sv").get("/test-errors/403/").content)

    assert page.find("a", href=reverse("account_login") + "?next=/test-errors/403/") is not None


def test_server_error_page_renders_without_the_database(django_db_blocker, django_assert_num_queries):
    """The 500 handler of the site renders with no query, even when the database cannot be reached."""
    handler = get_resolver().resolve_error_handler(500)
    request = RequestFactory().get("/anything/")
    with translation.override("en"), django_assert_num_queries(0), django_db_blocker.block():
        response = handler(request)

    assert response.status_code == 500
    assert_site_page(response, 500, "en")


def test_member_opening_a_staff_page_gets_the_swedish_forbidden_page_with_her_navigation(client):
    login(client, MemberFactory().user)

    response = client.get(reverse("network:approval_list"))

    assert response.status_code == 403
    page = assert_site_page(response, 403, "sv")
    assert_navigation_for(page, "member")


def test_unknown_address_gets_the_not_found_page(client):
    login(client, MemberFactory().user)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_navigation_for(assert_site_page(response, 404, "sv"), "member")


def test_opening_an_action_address_gets_the_method_not_allowed_page(staff_client):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = staff_client.get(reverse("network:approval_decide", args=[1]))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert_site_page(response, 405, "en")


def test_a_405_that_says_something_is_left_as_it_is(client):
    """Only an empty 405 is replaced: a view's own explanation stays."""
    from django.http import HttpResponseNotAllowed

    from kloss_site.errors import MethodNotAllowedPageMiddleware

    own = HttpResponseNotAllowed(["POST"], content=b"use the button")
    middleware = MethodNotAllowedPageMiddleware(lambda request: own)

    assert middleware(RequestFactory().get("/")) is own


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_refused_csrf_check_gets_the_site_page(role, language):
    client = visitor(role, language)
    client.handler.enforce_csrf_checks = True
    target = reverse("account_login") if role == "anonymous" else reverse("network:profile_edit")

    response = client.post(
        target, {"login": "x@example.se", "password": "x"}, HTTP_REFERER="http://testserver" + target
    )

    assert response.status_code == 403
    page = assert_site_page(response, "csrf", language)
    assert_navigation_for(page, role)
    assert "http://testserver" + target in links_in_main(page)  # back to the form


def test_request_for_a_host_not_ours_gets_the_bad_request_page(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert_navigation_for(assert_site_page(response, 400, "sv"), "anonymous")
