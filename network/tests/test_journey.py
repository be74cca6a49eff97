"""The whole membership journey over a real SMTP server: signup -> verify -> applicant -> approved."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from network.models import Member
from network.tests.factories import InstitutionFactory, login

NEW_PASSWORD = "Samverkan-lösen-2026!"


def body_of(message, subtype="plain") -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")


def signup(client, email, **extra):
    data = {
        "email": email,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "first_name": "Lena",
        "last_name": "Malmström",
        "title": "Vicerektor för samverkan",
        "role": "vice_rector",
        "institution": "",
        "accept_privacy": "on",
        **extra,
    }
    return client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.django_db
def test_journey_signup_verify_approve_member_sees_directory(
    client, smtp_server, staff_user, settings, django_capture_on_commit_callbacks
):
    settings.SECRETARIAT_EMAILS = ["kansliet@kloss-net.se"]
    mau = InstitutionFactory(name="Malmö universitet", short_name="MAU", slug="mau", domain="mau.se")

    # 1. She signs up; the institution is taken from her email domain. The verification mail is a
    # delivery, handed to the worker when the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "lena.malmstrom@mau.se")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    member = Member.objects.get(user__email="lena.malmstrom@mau.se")
    assert member.institution == mau
    assert member.status == Member.Status.UNVERIFIED
    assert member.privacy_version == settings.PRIVACY_NOTICE_VERSION and member.privacy_accepted_at
    assert member.language == "en"

    # 2. The verification mail arrives over real SMTP; she confirms by POST.
    smtp_server.wait_for(1)
    [mail] = smtp_server.to("lena.malmstrom@mau.se")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", body_of(mail)).group(1)
    assert "Confirm" in client.get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Member.Status.APPLICANT

    # 3. The secretariat is emailed, with a link to the application in the admin.
    [notice] = smtp_server.wait_for(2)[1:]
    assert "kansliet@kloss-net.se" in notice["X-Envelope-To"]
    assert f"/admin/network/member/{member.pk}/change/" in body_of(notice)
    assert "Lena Malmström" in body_of(notice, "html")

    # 4. As an applicant she logs in and sees only "waiting for approval".
    response = client.post(reverse("account_login"), {"login": "lena.malmstrom@mau.se", "password": NEW_PASSWORD})
    assert response["Location"] == reverse("network:application_status")
    assert "waiting for approval" in client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert client.get(reverse("network:member_list"))["Location"] == reverse("network:application_status")

    # 5. The secretariat approves on the staff approvals page; she is emailed in her language.
    staff = Client()
    login(staff, staff_user)
    queue = staff.get(reverse("network:approval_list")).content.decode()
    assert "Lena Malmström" in queue and "Domain of no member institution" not in queue
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("network:approval_decide", args=[member.pk]), {"decision": "approve", "note": "Välkommen!"})
    member.refresh_from_db()
    assert member.status == Member.Status.APPROVED and member.decided_by == staff_user
    approval = smtp_server.wait_for(3)[2]
    assert "lena.malmstrom@mau.se" in approval["X-Envelope-To"]
    assert "approved" in approval["Subject"]
    assert 'lang="en"' in body_of(approval, "html")
    assert "Välkommen!" in body_of(approval)

    # 6. Now a member, she sees the directory with herself in it.
    directory = client.get(reverse("network:member_list"))
    assert directory.status_code == 200
    assert "Lena Malmström" in directory.content.decode()


@pytest.mark.django_db
def test_journey_rejection_emails_decision_and_keeps_her_out(
    client, smtp_server, staff_user, django_capture_on_commit_callbacks
):
    InstitutionFactory(domain="kth.se")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, "olle@kth.se")
    smtp_server.wait_for(1)
    link = re.search(r"(/accounts/confirm-email/[^/\s]+/)", body_of(smtp_server.to("olle@kth.se")[0])).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    member = Member.objects.get(user__email="olle@kth.se")
    staff = Client()
    login(staff, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("network:approval_decide", args=[member.pk]), {"decision": "reject", "note": "Not a leader."}
        )
    member.refresh_from_db()
    assert member.status == Member.Status.REJECTED
    [rejection] = [m for m in smtp_server.wait_for(3) if "olle@kth.se" in m["X-Envelope-To"]][1:]
    assert "Not a leader." in body_of(rejection)
    client.force_login(member.user)
    assert client.get(reverse("network:member_list")).status_code == 403
    assert (
        "not approved" in client.get(reverse("network:application_status"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
