"""The header of every page (templates/includes/_site_header.html): nothing of one member reaches
another, and it shows each role what it may use."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from network.tests.factories import (
    ApplicantFactory,
    MemberFactory,
    StaffUserFactory,
    activate_totp,
    login,
)

pytestmark = pytest.mark.django_db


def header(client, url, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def current(html: str) -> list[str]:
    """The navigation's links marked as the current section."""
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


def test_each_member_sees_her_own_name_and_a_token_of_her_own_session():
    anna = MemberFactory(user__first_name="Anna", user__last_name="Lind")
    bo = MemberFactory(user__first_name="Bo", user__last_name="Ek")
    clients = {}
    for member in (anna, bo, anna):  # the same header combination, one after the other
        client = clients.setdefault(member.pk, Client(enforce_csrf_checks=True))
        login(client, member.user)
        html = header(client, reverse("home"))
        other = bo if member == anna else anna
        assert member.full_name in html and other.full_name not in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        assert html.count(token) == 2  # the language switcher's form and the logout form
    # The token in her header is her session's: logging out with it works (a token of another
    # session, or a marker left unfilled, would be refused with 403).
    response = clients[anna.pk].post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in clients[anna.pk].session


def test_names_and_return_addresses_are_escaped(client):
    member = MemberFactory(user__first_name="<b>Eva</b>", user__last_name="O'Neil")
    login(client, member.user)
    html = header(client, reverse("network:member_list") + '?q=a&role=x"><script>')
    assert "<b>Eva</b>" not in html and "&lt;b&gt;Eva&lt;/b&gt; O&#x27;Neil" in html
    # The query string as the request carries it (quoted), its ampersand escaped in the attribute.
    assert 'name="next" type="hidden" value="/network/members/?q=a&amp;role=x%22%3E%3Cscript%3E"' in html


def test_the_current_section_is_marked(client):
    member = MemberFactory()
    login(client, member.user)
    assert current(header(client, reverse("home"))) == [reverse("home")]
    assert current(header(client, reverse("network:member_list"))) == [reverse("network:member_list")]
    assert current(header(client, reverse("meetings:meeting_list"))) == [reverse("meetings:meeting_list")]
    assert current(header(client, reverse("projects:project_list"))) == [reverse("projects:project_list")]
    assert current(header(client, reverse("projects:output_list"))) == [reverse("projects:output_list")]


def test_what_each_role_is_offered(client):
    html = header(client, reverse("account_login"))
    assert reverse("account_signup") in html and "main-nav" not in html

    applicant = ApplicantFactory()
    login(client, applicant.user)
    html = header(client, reverse("network:profile_edit"))
    assert reverse("network:profile_edit") in html and "main-nav" not in html
    assert reverse("admin:index") not in html

    member = MemberFactory()
    login(client, member.user)
    html = header(client, reverse("home"))
    assert "main-nav" in html and reverse("network:profile_edit") in html
    assert reverse("admin:index") not in html and reverse("network:approval_list") not in html

    staff = StaffUserFactory()
    activate_totp(staff)
    login(client, staff)
    html = header(client, reverse("network:approval_list"))
    assert reverse("admin:index") in html and reverse("network:approval_list") in html
    assert reverse("network:profile_edit") not in html  # no member profile of her own


def test_the_header_follows_her_language_and_her_name_at_once(client):
    member = MemberFactory(user__first_name="Karin")
    login(client, member.user)
    assert "Logga ut" in header(client, reverse("home"), HTTP_ACCEPT_LANGUAGE="sv")
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert "Log out" in header(client, reverse("home"))
    member.user.first_name = "Kajsa"
    member.user.save(update_fields=["first_name"])
    html = header(client, reverse("home"))
    assert "Kajsa" in html and "Karin" not in html
