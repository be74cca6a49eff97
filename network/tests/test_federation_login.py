"""Signing in with a university account (network/federation/), against the test federation: who she
becomes, and every hostile answer refused with a page in her language, logged, nothing created."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from network.federation.testing import MFA, KeyPair
from network.models import Delivery, Member, User
from network.tests.factories import MemberFactory, UserFactory
from network.tests.federation_support import ACS, AUDIENCE, post_response, start_login

pytestmark = pytest.mark.django_db


def _login(client, federation, *, index=0, mail=None, **kwargs):
    fed, institutions = federation
    idp, institution = fed.idps[index], institutions[index]
    request_id = start_login(client, institution)
    mail = f"ada.lovelace@{idp.scope}" if mail is None else mail
    saml = idp.response(request_id=request_id, acs_url=ACS, audience=AUDIENCE, mail=mail, **kwargs)
    return post_response(client, saml, HTTP_ACCEPT_LANGUAGE="en"), institution


def test_first_login_makes_her_an_applicant_at_her_university(client, federation):
    response, institution = _login(client, federation)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:application_status")
    user = User.objects.get(email="ada.lovelace@exu.example.se")
    assert user.member.institution == institution
    assert user.member.status == Member.Status.APPLICANT
    assert EmailAddress.objects.get(user=user).verified
    assert Delivery.objects.filter(kind="application_received").exists()  # the secretariat is told as today
    assert SocialAccount.objects.get(user=user).uid == "ada.lovelace@exu.example.se"


def test_address_outside_her_institution_is_not_verified_and_waits_for_confirmation(client, federation):
    response, institution = _login(client, federation, mail="ada@gmail.example.com")
    user = User.objects.get(email="ada@gmail.example.com")
    assert user.member.institution == institution
    assert user.member.status == Member.Status.UNVERIFIED  # an applicant only once she confirms it
    assert not EmailAddress.objects.get(user=user).verified
    assert not Delivery.objects.filter(kind="application_received").exists()


def test_home_organization_of_another_institution_does_not_verify_the_address(client, federation):
    fed, institutions = federation
    # The provider may assert both scopes (it is the federation's word), but the home organisation is not hers.
    idp = fed.idps[0]
    idp_row = institutions[0].identity_provider
    idp_row.scopes = [idp.scope, "other.example.se"]
    idp_row.save()
    _login(client, federation, home="other.example.se")
    assert not EmailAddress.objects.get(email="ada.lovelace@exu.example.se").verified


def test_existing_member_with_that_verified_address_is_linked_not_duplicated(client, federation):
    member = MemberFactory(user__email="ada.lovelace@exu.example.se", institution=federation[1][0])
    response, _ = _login(client, federation)
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="ada.lovelace@exu.example.se").count() == 1
    assert SocialAccount.objects.get().user == member.user
    assert client.get(reverse("home")).status_code == 200  # she is in, as the member she is


def test_member_links_her_university_login_from_her_profile(client, federation):
    from network.tests.factories import login

    member = MemberFactory(user__email="ada@private.example.org", institution=federation[1][0])
    login(client, member.user)
    page = client.get(reverse("network:profile_edit"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in with your university" in page
    fed, institutions = federation
    request_id = start_login(client, institutions[0], process="connect")
    saml = fed.idps[0].response(
        request_id=request_id, acs_url=ACS, audience=AUDIENCE, mail="ada.lovelace@exu.example.se"
    )
    post_response(client, saml)
    assert SocialAccount.objects.get().user == member.user
    assert User.objects.count() == 1


def test_student_only_is_refused_with_a_clear_page(client, federation):
    response, _ = _login(client, federation, affiliations=("student", "member@exu.example.se"))
    assert response.status_code == 302  # student and member is not student only: she is in
    assert User.objects.filter(email="ada.lovelace@exu.example.se").exists()
    client.logout()
    User.objects.all().delete()
    response, _ = _login(client, federation, affiliations=("student",))
    assert response.status_code == 403
    assert "Only staff can sign in" in response.content.decode()
    assert not User.objects.exists()


def test_departed_member_gets_no_access(client, federation):
    MemberFactory(user__email="ada.lovelace@exu.example.se", institution=federation[1][0], status=Member.Status.LEFT)
    response, _ = _login(client, federation)
    assert response.status_code == 403
    assert "Your membership has ended" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert client.get(reverse("home")).status_code == 302  # not signed in


def test_address_of_an_account_that_cannot_be_verified_is_never_taken_over(client, federation):
    UserFactory(email="ada@gmail.example.com")
    response, _ = _login(client, federation, mail="ada@gmail.example.com")
    assert response.status_code == 403
    assert "already exists" in response.content.decode()
    assert not SocialAccount.objects.exists()


# --- Staff keep their second factor ---------------------------------------------------------


def _staff_member(federation):
    member = MemberFactory(user__email="ada.lovelace@exu.example.se", user__is_staff=True, institution=federation[1][0])
    return member


def test_staff_login_asserting_refeds_mfa_counts_as_second_factor(client, federation):
    _staff_member(federation)
    _login(client, federation, authn_context=MFA)
    assert client.get(reverse("network:approval_list")).status_code == 200


def test_staff_login_without_refeds_mfa_still_needs_totp(client, federation):
    _staff_member(federation)
    _login(client, federation)
    response = client.get(reverse("network:approval_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert client.get(reverse("home")).status_code == 200  # signed in all the same, as a member


# --- Hostile input: each refused with a page in her language, logged, nothing created -----------


def _refused(response, caplog, language="en"):
    assert response.status_code in (401, 403)  # allauth's refusals answer 401, ours 403
    page = response.content.decode()
    text = "University login not accepted" if language == "en" else "Inloggningen via lärosätet godtogs inte"
    assert text in page
    assert any("federated login refused" in record.getMessage() for record in caplog.records)
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


def _hostile(client, federation, *, language="en", relay_state="", **kwargs):
    fed, institutions = federation
    request_id = start_login(client, institutions[0])
    saml = fed.idps[0].response(
        request_id=request_id,
        acs_url=kwargs.pop("acs_url", ACS),
        audience=kwargs.pop("audience", AUDIENCE),
        mail="ada.lovelace@exu.example.se",
        **kwargs,
    )
    return post_response(client, saml, relay_state, HTTP_ACCEPT_LANGUAGE=language)


def test_unsigned_response_is_refused(client, federation, caplog):
    _refused(_hostile(client, federation, sign=False), caplog)


def test_response_refused_in_swedish_for_a_swedish_visitor(client, federation, caplog):
    _refused(_hostile(client, federation, sign=False, language="sv"), caplog, language="sv")


def test_wrongly_signed_response_is_refused(client, federation, caplog):
    _refused(_hostile(client, federation, signed_by=KeyPair.create("Mallory")), caplog)


def test_response_signed_with_another_providers_certificate_is_refused(client, federation, caplog):
    _refused(_hostile(client, federation, signed_by=federation[0].idps[1].keys), caplog)


def test_response_edited_after_signing_is_refused(client, federation, caplog):
    import base64

    fed, institutions = federation
    request_id = start_login(client, institutions[0])
    saml = fed.idps[0].response(
        request_id=request_id, acs_url=ACS, audience=AUDIENCE, mail="ada.lovelace@exu.example.se"
    )
    edited = base64.b64decode(saml).replace(b"Lovelace", b"Byron")
    _refused(post_response(client, base64.b64encode(edited).decode(), HTTP_ACCEPT_LANGUAGE="en"), caplog)


def test_scope_the_provider_may_not_assert_is_refused(client, federation, caplog):
    _refused(_hostile(client, federation, uid="ada@prov.example.se"), caplog)


def test_affiliation_in_a_scope_the_provider_may_not_assert_is_refused(client, federation, caplog):
    _refused(_hostile(client, federation, affiliations=("staff@kth.example.se",)), caplog)


def test_replayed_assertion_is_refused(client, federation, caplog):
    fed, institutions = federation
    request_id = start_login(client, institutions[0])
    saml = fed.idps[0].response(
        request_id=request_id, acs_url=ACS, audience=AUDIENCE, mail="ada.lovelace@exu.example.se"
    )
    assert post_response(client, saml).status_code == 302  # the first time she comes in
    client.logout()
    User.objects.all().delete()
    _refused(post_response(client, saml, HTTP_ACCEPT_LANGUAGE="en"), caplog)


def test_expired_assertion_is_refused(client, federation, caplog):
    from django.utils import timezone

    past = timezone.now() - datetime.timedelta(hours=1)
    _refused(_hostile(client, federation, now=past), caplog)


def test_assertion_for_another_audience_is_refused(client, federation, caplog):
    _refused(_hostile(client, federation, audience="https://other-service.example.org/shibboleth"), caplog)


def test_unsolicited_response_with_an_off_site_relay_state_is_refused(client, federation, caplog):
    fed, _ = federation
    client.defaults["HTTP_HOST"] = "testserver"
    saml = fed.idps[0].response(request_id="", acs_url=ACS, audience=AUDIENCE, mail="ada.lovelace@exu.example.se")
    response = post_response(client, saml, "https://evil.example.org/", HTTP_ACCEPT_LANGUAGE="en")
    assert "evil.example.org" not in response.get("Location", "")
    _refused(response, caplog)


def test_off_site_relay_state_never_leads_off_site_after_a_good_login(client, federation):
    response = _hostile(client, federation, relay_state="https://evil.example.org/")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:application_status")


def test_unknown_provider_is_refused(client, federation, caplog):
    stranger = KeyPair.create("Stranger")
    _refused(_hostile(client, federation, issuer="https://idp.stranger.example/idp", signed_by=stranger), caplog)


def test_choosing_an_institution_without_a_provider_is_refused(client, federation, caplog):
    client.defaults["HTTP_HOST"] = "testserver"
    response = client.post(reverse("federation_login"), {"institution": "no-such"}, HTTP_ACCEPT_LANGUAGE="en")
    _refused(response, caplog)


def test_during_a_certificate_rollover_a_response_signed_with_either_certificate_is_accepted(client, federation):
    from network.federation.metadata import federation_refresh

    fed, institutions = federation
    new_keys = KeyPair.create("New signing key")
    assert federation_refresh(xml=fed.metadata(extra_certificates={fed.idps[0].entity_id: [new_keys]})).ok
    assert (
        len(
            institutions[0]
            .identity_provider.__class__.objects.get(pk=institutions[0].identity_provider.pk)
            .certificates
        )
        == 2
    )
    response, _ = _login(client, federation, signed_by=new_keys)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:application_status")


def test_response_without_an_email_address_is_refused(client, federation, caplog):
    _refused(_hostile_without_mail(client, federation), caplog)


def _hostile_without_mail(client, federation):
    fed, institutions = federation
    request_id = start_login(client, institutions[0])
    saml = fed.idps[0].response(request_id=request_id, acs_url=ACS, audience=AUDIENCE, mail="")
    return post_response(client, saml, HTTP_ACCEPT_LANGUAGE="en")
