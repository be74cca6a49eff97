"""Helpers of the federation's tests: a browser's trip to the test identity provider and back."""

from urllib.parse import parse_qs, urlparse

from django.urls import reverse
from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from network.federation.metadata import federation_refresh
from network.tests.factories import InstitutionFactory

ACS = "http://testserver/accounts/saml/swamid/acs/"
AUDIENCE = "http://testserver/accounts/saml/metadata/"


def install_federation(federation, *, settings, tmp_path, audience: str) -> list:
    """Its universities become member institutions whose providers are read from its signed metadata."""
    cert = tmp_path / "federation.crt"
    cert.write_text(federation.signer.cert_pem)
    settings.FEDERATION_METADATA_CERT_FILE = str(cert)
    settings.SAML_SP_ENTITY_ID = audience
    settings.SAML_SP_CERT_FILE = settings.SAML_SP_KEY_FILE = ""
    institutions = [
        InstitutionFactory(name=idp.name, slug=idp.scope.split(".")[0], domain=idp.scope, idp_entity_id=idp.entity_id)
        for idp in federation.idps
    ]
    assert federation_refresh(xml=federation.metadata()).ok
    return institutions


def start_login(client, institution, **extra) -> str:
    """Choose the university: returns the ID of the AuthnRequest the site sent to its provider."""
    client.defaults["HTTP_HOST"] = "testserver"  # a browser always sends it; python3-saml reads it
    response = client.post(reverse("federation_login"), {"institution": institution.slug, **extra})
    assert response.status_code == 200, response.content
    location = response.context["url"]  # the page moves on to the provider by itself
    assert f'url={location}"' in response.content.decode().replace("&amp;", "&")
    query = parse_qs(urlparse(location).query)
    request = etree.fromstring(OneLogin_Saml2_Utils.decode_base64_and_inflate(query["SAMLRequest"][0]))
    assert request.get("AssertionConsumerServiceURL") == ACS
    return request.get("ID")


def post_response(client, saml_response: str, relay_state: str = "", **headers):
    """The browser brings the provider's answer back: the ACS, then allauth's finishing step."""
    response = client.post(ACS, {"SAMLResponse": saml_response, "RelayState": relay_state})
    assert response.status_code == 302
    return client.get(response["Location"], **headers)
