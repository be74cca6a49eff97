"""Helpers of the federation's tests: a browser's trip to the test identity provider and back."""

from urllib.parse import parse_qs, urlparse

from django.urls import reverse
from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils

ACS = "http://testserver/accounts/saml/swamid/acs/"
AUDIENCE = "http://testserver/accounts/saml/metadata/"


def start_login(client, institution, **extra) -> str:
    """Choose the university: returns the ID of the AuthnRequest the site sent to its provider."""
    client.defaults["HTTP_HOST"] = "testserver"  # a browser always sends it; python3-saml reads it
    response = client.post(reverse("federation_login"), {"institution": institution.slug, **extra})
    assert response.status_code == 302, response.content
    query = parse_qs(urlparse(response["Location"]).query)
    request = etree.fromstring(OneLogin_Saml2_Utils.decode_base64_and_inflate(query["SAMLRequest"][0]))
    assert request.get("AssertionConsumerServiceURL") == ACS
    return request.get("ID")


def post_response(client, saml_response: str, relay_state: str = "", **headers):
    """The browser brings the provider's answer back: the ACS, then allauth's finishing step."""
    response = client.post(ACS, {"SAMLResponse": saml_response, "RelayState": relay_state})
    assert response.status_code == 302
    return client.get(response["Location"], **headers)
