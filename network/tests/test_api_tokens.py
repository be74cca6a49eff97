"""API tokens in the backoffice and their services: issue (the secret shown once), revoke, last use.
What a token may read is tested with the API itself (kloss_site/tests/test_api.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from network.api import services
from network.audit import AuditEvent
from network.models import ApiToken
from network.tests.factories import InstitutionFactory, issue_api_token

pytestmark = pytest.mark.django_db


def issue_form(institution="", **changes) -> dict:
    expires = timezone.localtime() + datetime.timedelta(days=90)
    return {
        "institution": institution,
        "scope": ApiToken.Scope.READ_MEMBERS,
        "expires_at": expires.strftime("%Y-%m-%dT%H:%M"),
        "note": "Samverkanskontorets webbplats",
        **changes,
    }


def test_staff_issue_a_token_and_see_its_secret_once(staff_client, client):
    institution = InstitutionFactory()
    form = staff_client.get(reverse("admin:network_apitoken_add"), HTTP_ACCEPT_LANGUAGE="en")
    assert form.status_code == 200 and "The network as a whole" in form.content.decode()
    response = staff_client.post(reverse("admin:network_apitoken_add"), issue_form(institution.pk))
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.institution == institution and token.scope == ApiToken.Scope.READ_MEMBERS
    html = response.content.decode()
    secret = html.split('id="api-token-secret" type="text" readonly size="60" value="')[1].split('"')[0]
    assert secret.startswith("kloss_") and token.key_start in secret
    assert "no-store" in response["Cache-Control"]
    # The secret opens the API, and no page of the backoffice shows it again.
    assert client.get(reverse("api:theme-list"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    for url in (
        reverse("admin:network_apitoken_changelist"),
        reverse("admin:network_apitoken_change", args=[token.pk]),
    ):
        page = staff_client.get(url)
        assert page.status_code == 200 and secret not in page.content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.API_TOKEN_ISSUED, actor=token.created_by).exists()


def test_a_network_token_has_no_institution(staff_client):
    staff_client.post(reverse("admin:network_apitoken_add"), issue_form(scope=ApiToken.Scope.READ_PUBLIC))
    token = ApiToken.objects.get()
    assert token.is_network_token and token.scope == ApiToken.Scope.READ_PUBLIC


def test_issuing_refuses_an_expiry_in_the_past(staff_client):
    past = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = staff_client.post(
        reverse("admin:network_apitoken_add"), issue_form(expires_at=past), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and not ApiToken.objects.exists()
    assert "Choose a time in the future." in response.content.decode()
    assert "Samverkanskontorets webbplats" in response.content.decode()  # her input is kept


def test_staff_revoke_tokens_and_the_list_shows_state_and_last_use(staff_client, client):
    issued = issue_api_token(None, ApiToken.Scope.READ_MEMBERS, note="Forskningsinformationssystemet", days=1)
    client.get(reverse("api:theme-list"), HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    changelist = reverse("admin:network_apitoken_changelist")
    page = staff_client.get(changelist, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Forskningsinformationssystemet" in page and "Active" in page
    assert ApiToken.objects.get().last_used_at is not None
    staff_client.post(changelist, {"action": "revoke", "_selected_action": [issued.token.pk]})
    token = ApiToken.objects.get()
    assert token.revoked_at is not None and token.revoked_by is not None
    assert "Revoked" in staff_client.get(changelist, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert client.get(reverse("api:theme-list"), HTTP_AUTHORIZATION=f"Bearer {issued.secret}").status_code == 401
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.API_TOKEN_REVOKED).count() == 1


def test_only_the_note_of_a_token_can_be_changed_and_none_deleted(staff_client):
    issued = issue_api_token(InstitutionFactory(), ApiToken.Scope.READ_PUBLIC, note="Gammal", days=1)
    url = reverse("admin:network_apitoken_change", args=[issued.token.pk])
    staff_client.post(url, {"note": "Ny", "scope": ApiToken.Scope.READ_MEMBERS})
    token = ApiToken.objects.get()
    assert token.note == "Ny" and token.scope == ApiToken.Scope.READ_PUBLIC
    assert staff_client.get(reverse("admin:network_apitoken_delete", args=[token.pk])).status_code == 403


def test_revoking_twice_records_once(db):
    issued = issue_api_token(None, ApiToken.Scope.READ_PUBLIC, note="n", days=1)
    assert services.api_token_revoke(token=issued.token, by=None) is True
    assert services.api_token_revoke(token=issued.token, by=None) is False
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.API_TOKEN_REVOKED).count() == 1


def test_members_may_not_reach_the_token_admin(client):
    from network.tests.factories import MemberFactory, login

    login(client, MemberFactory().user)
    response = client.get(reverse("admin:network_apitoken_add"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
