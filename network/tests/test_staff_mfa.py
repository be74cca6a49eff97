"""Staff rights on the site need a second factor completed in the session, as the admin does
(network/mfa.py, network.rules.is_staff_with_mfa, StaffMFAMiddleware). The URL x role matrix walks
every page for "staff_without_mfa"; these tests follow real logins and the set-up flow."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils.http import urlencode

from meetings.tests.factories import ScheduledMeetingFactory
from network.models import Member
from network.tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    ApplicantFactory,
    MemberFactory,
    StaffUserFactory,
    activate_totp,
    login,
)
from tests.support.totp import fresh_totp_code

pytestmark = pytest.mark.django_db


def totp_code(secret: str = TOTP_SECRET) -> str:
    # A code with time left in its period (allauth accepts only the current one): the raw current
    # code failed now and then on a loaded machine when the period ended between computing and posting.
    return fresh_totp_code(secret)


def test_staff_logging_in_with_totp_gets_staff_rights(client, staff_user):
    response = client.post(reverse("account_login"), {"login": staff_user.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.get(reverse("network:approval_list")).status_code == 200
    assert client.get(reverse("projects:round_create")).status_code == 200


def test_staff_with_a_password_only_is_sent_to_set_up_totp_and_back(client, staff_user_without_mfa):
    ApplicantFactory()
    client.post(reverse("account_login"), {"login": staff_user_without_mfa.email, "password": PASSWORD})
    queue = reverse("network:approval_list")
    response = client.get(queue, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp") + "?" + urlencode({"next": queue})
    page = client.get(reverse("account_email"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Staff tasks require two-factor authentication" in page


def test_staff_action_without_second_factor_changes_nothing(client, staff_user_without_mfa):
    applicant = ApplicantFactory()
    login(client, staff_user_without_mfa)
    form_page = "https://testserver" + reverse("network:approval_list")
    response = client.post(
        reverse("network:approval_decide", args=[applicant.pk]),
        {"decision": "approve", "note": ""},
        HTTP_REFERER=form_page,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp") + "?" + urlencode({"next": form_page})
    applicant.refresh_from_db()
    assert applicant.status == Member.Status.APPLICANT


@pytest.mark.django_db(transaction=True)  # allauth signals the new factor on commit, inside the request
def test_setting_totp_up_completes_the_second_factor_of_the_session(client, staff_user_without_mfa):
    staff = staff_user_without_mfa
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    setup = client.get(reverse("network:approval_list"))["Location"]
    reauth = client.get(setup)["Location"]  # allauth asks for the password before adding a factor
    activate = client.post(reauth, {"password": PASSWORD})["Location"]
    page = client.get(activate)
    secret = page.context["form"].secret
    response = client.post(activate, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("network:approval_list")).status_code == 200


def test_totp_set_up_but_not_used_in_this_session_asks_for_a_code(client, staff_user):
    client.force_login(staff_user)  # a session without allauth's record of a second factor
    queue = reverse("network:approval_list")
    response = client.get(queue)
    assert response["Location"] == reverse("mfa_reauthenticate") + "?" + urlencode({"next": queue})
    back = client.post(response["Location"], {"code": totp_code()})
    assert back["Location"] == queue
    assert client.get(queue).status_code == 200


def test_turning_totp_off_ends_staff_rights_in_the_session(staff_client, staff_user):
    assert staff_client.get(reverse("network:approval_list")).status_code == 200
    Authenticator.objects.filter(user=staff_user).delete()
    response = staff_client.get(reverse("network:approval_list"))
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_who_is_a_member_keeps_member_pages_without_second_factor(client):
    member = MemberFactory()
    member.user.is_staff = member.user.is_superuser = True
    member.user.save()
    meeting = ScheduledMeetingFactory()  # hosted by another institution
    login(client, member.user)
    assert client.get(reverse("network:member_list")).status_code == 200
    assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("meetings:attendance", args=[meeting.pk])).status_code == 200
    home = client.get(reverse("home"))
    assert home.status_code == 200 and home.context["home"].staff is None
    assert client.get(reverse("meetings:meeting_schedule", args=[meeting.pk]))["Location"].startswith(
        reverse("mfa_activate_totp")
    )
    assert client.get(reverse("network:approval_list"))["Location"].startswith(reverse("mfa_activate_totp"))


def test_admin_asks_for_the_code_when_the_session_has_none(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_predicate_outside_a_request_stands_on_the_set_up_factor():
    staff = StaffUserFactory()
    from network.rules import is_staff_with_mfa

    assert not is_staff_with_mfa(staff)
    activate_totp(staff)
    assert is_staff_with_mfa(staff)
    staff.is_active = False
    assert not is_staff_with_mfa(staff)


def test_superuser_gets_the_sites_permissions_from_the_rules_not_from_the_flag(staff_user):
    """Django grants an active superuser every permission without asking: not the site's own."""
    without = StaffUserFactory()
    assert without.is_superuser
    assert not without.has_perm("network.view_applications")
    assert not without.has_perm("projects.open_round")
    assert without.has_perm("network.change_member")  # Django's model permission (the admin is gated apart)
    assert staff_user.has_perm("network.view_applications") and staff_user.has_perm("projects.open_round")
