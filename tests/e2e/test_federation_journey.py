"""Journey: a newcomer chooses her university on the login page (searching the list), signs in at its
identity provider (the test federation's, offline: a local web server stands in for the provider and shows
its page, whose form posts a response signed with the provider's key to the site's ACS),
and comes back as an applicant at that university. Every page of ours on the way passes axe."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from network.federation.testing import TestFederation
from network.models import Member, User
from network.tests.federation_support import install_federation
from tests.support.ports import free_port

from .conftest import viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class _ProviderHandler(BaseHTTPRequestHandler):
    """The providers' sign-in page: its form posts a response signed with the provider's key."""

    federation: TestFederation
    audience: str

    def do_GET(self):
        url = urlparse(self.path)
        idp = next(i for i in self.federation.idps if urlparse(i.sso_url).path == url.path)
        authn = etree.fromstring(OneLogin_Saml2_Utils.decode_base64_and_inflate(parse_qs(url.query)["SAMLRequest"][0]))
        acs = authn.get("AssertionConsumerServiceURL")
        response = idp.response(
            request_id=authn.get("ID"), acs_url=acs, audience=self.audience, mail=f"ada.lovelace@{idp.scope}"
        )
        body = (
            '<!DOCTYPE html><html lang="en"><head><title>Provider</title></head><body><main>'
            f'<form method="post" action="{acs}"><input type="hidden" name="SAMLResponse" value="{response}">'
            "<button type=submit>Sign in at the university</button></form></main></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider_server():
    """A local web server standing in for the universities' identity providers (no network)."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _ProviderHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@viewports
def test_newcomer_signs_in_with_her_university_and_is_an_applicant(
    site, settings, tmp_path, live_server, provider_server
):
    federation = TestFederation.create(
        [("Exempeluniversitetet", "exu.example.se"), ("Provhögskolan", "prov.example.se")]
    )
    for idp in federation.idps:
        idp.sso_url = f"http://127.0.0.1:{provider_server.server_port}/{idp.scope}/sso"
    audience = f"{live_server.url}/accounts/saml/metadata/"
    provider_server.RequestHandlerClass.federation = federation
    provider_server.RequestHandlerClass.audience = audience
    install_federation(federation, settings=settings, tmp_path=tmp_path, audience=audience)
    page = site.page

    site.goto(reverse("account_login"))
    site.check("login", languages=("sv", "en"))
    page.fill("#federation-search", "prov")  # the search narrows the list to her university
    assert page.locator("#federation-institution").evaluate("el => el.selectedOptions[0].text") == "Provhögskolan"
    page.get_by_role("button", name="Continue to your university").click()
    page.get_by_role("button", name="Sign in at the university").click()
    page.wait_for_url(f"**{reverse('network:application_status')}")
    site.check("applicant")

    user = User.objects.get(email="ada.lovelace@prov.example.se")
    assert user.member.status == Member.Status.APPLICANT
    assert user.member.institution.name == "Provhögskolan"

    # Remembered on this device: the next visit has her university chosen.
    page.context.clear_cookies()
    site.goto(reverse("account_login"))
    assert page.locator("#federation-institution").evaluate("el => el.selectedOptions[0].text") == "Provhögskolan"
