"""Issue 13: the one mail path (network/outbox/mail.py): notices and allauth's emails are deliveries."""

import smtplib
from datetime import timedelta

import pytest
from django.urls import reverse

from network import services
from network.models import Delivery, Member
from network.outbox.mail import mail_enqueue
from network.outbox.worker import delivery_send, describe_error, is_permanent
from network.tests.factories import ApplicantFactory, InstitutionFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_mail_enqueue_records_one_row_per_recipient_once(django_capture_on_commit_callbacks, mailoutbox):
    member = MemberFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        first = mail_enqueue(
            kind="adhoc_notice",
            template="outbox_test",
            to=[member, member, "kansliet@kloss-net.se", "Kansliet@kloss-net.se"],
            obj=member,
        )
        again = mail_enqueue(kind="adhoc_notice", template="outbox_test", to=[member], obj=member)
    assert len(first) == 2 and again == []
    assert {(r.recipient_id, r.recipient_email, r.status) for r in Delivery.objects.all()} == {
        (member.pk, "", "sent"),
        (None, "kansliet@kloss-net.se", "sent"),
    }
    assert sorted(m.to[0] for m in mailoutbox) == sorted([member.email, "kansliet@kloss-net.se"])
    assert "Hello" in next(m for m in mailoutbox if m.to == [member.email]).body  # her language: English


def test_mail_enqueue_needs_a_template_or_a_registered_kind():
    with pytest.raises(ValueError, match="not a registered kind"):
        mail_enqueue(kind="nobody_registered_this", to=["a@kloss-net.se"], object_key="x")


def test_mail_enqueue_in_a_rolled_back_transaction_leaves_nothing(django_capture_on_commit_callbacks, mailoutbox):
    from django.db import transaction

    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        mail_enqueue(kind="adhoc_notice", template="outbox_test", to=[member], obj=member)
        raise RuntimeError("the service failed after queueing")
    assert not Delivery.objects.exists() and mailoutbox == []


def test_approve_records_a_delivery_and_sends_nothing_in_the_request(staff_user, mailoutbox):
    applicant = ApplicantFactory()
    services.member_approve(member=applicant, by=staff_user)  # no commit in a test transaction
    delivery = Delivery.objects.get(kind="application_approved")
    assert (delivery.recipient, delivery.status, delivery.attempts) == (applicant, "queued", 0)
    assert mailoutbox == []


def test_signup_mail_is_a_delivery_rendered_in_her_language(client, mailoutbox, django_capture_on_commit_callbacks):
    InstitutionFactory(domain="mau.se")
    data = {
        "email": "lena@mau.se",
        "password1": "Samverkan-lösen-2026!",
        "password2": "Samverkan-lösen-2026!",
        "first_name": "Lena",
        "last_name": "Malmström",
        "title": "Vicerektor",
        "role": "vice_rector",
        "institution": "",
        "accept_privacy": "on",
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and mailoutbox == []  # the request only recorded it
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.recipient_email) == ("account_email_confirmation_signup", "lena@mau.se")
    assert delivery.expires_at is not None
    for callback in callbacks:
        callback()
    [mail] = mailoutbox
    assert mail.to == ["lena@mau.se"] and "/accounts/confirm-email/" in mail.body
    assert "Confirm" in mail.subject or "confirm" in mail.body.lower()
    assert mail.extra_headers["X-KLOSS-Delivery"] == str(delivery.pk)
    # The one-time link is not kept once the message is out.
    assert Delivery.objects.get().context["_message"] == {"subject": mail.subject}


def test_password_reset_is_a_delivery(client, mailoutbox, django_capture_on_commit_callbacks):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": member.user.email})
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.recipient_email, delivery.status) == (
        "account_password_reset_key",
        member.user.email,
        "sent",
    )
    assert delivery.obj == member.user
    [mail] = mailoutbox
    assert "/accounts/password/reset/key/" in mail.body


def test_a_sent_stored_message_sent_again_is_skipped_not_sent_empty(mailoutbox, django_capture_on_commit_callbacks):
    member = MemberFactory()
    from network.outbox.worker import delivery_requeue

    with django_capture_on_commit_callbacks(execute=True):
        from django.test import Client

        Client().post(reverse("account_reset_password"), {"email": member.user.email})
    with django_capture_on_commit_callbacks(execute=True):
        delivery_requeue(deliveries=Delivery.objects.all())
    assert len(mailoutbox) == 1
    assert Delivery.objects.get().status == "skipped"


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"a@x.se": (550, b"5.1.1 No such user")}), True),
        (smtplib.SMTPRecipientsRefused({"a@x.se": (450, b"4.2.1 Mailbox busy")}), False),
        (smtplib.SMTPDataError(554, b"5.7.1 Message rejected"), True),
        (smtplib.SMTPDataError(451, b"Temporary failure"), False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
        (ConnectionRefusedError(111, "Connection refused"), False),
    ],
)
def test_only_a_5xx_answer_is_permanent(error, permanent):
    assert is_permanent(error) is permanent


def test_error_shown_in_the_admin_names_the_address_and_the_answer():
    error = smtplib.SMTPRecipientsRefused({"gone@kloss-net.se": (550, b"5.1.1 No such user")})
    assert describe_error(error) == "recipient refused (gone@kloss-net.se: 550 5.1.1 No such user)"


def test_a_message_that_cannot_be_built_fails_with_its_error(mailoutbox):
    member = MemberFactory()
    [pk] = mail_enqueue(kind="adhoc_broken", template="no/such/template", to=[member], obj=member)
    assert delivery_send(delivery_id=pk) == "failed"
    delivery = Delivery.objects.get(pk=pk)
    assert delivery.status == "failed" and "TemplateDoesNotExist" in delivery.last_error
    assert mailoutbox == []


# --- The admin: what a secretariat sees when mail fails -----------------------------------------


def failed_row(**changes) -> Delivery:
    applicant = ApplicantFactory(status=Member.Status.UNVERIFIED)
    [pk] = mail_enqueue(kind="application_received", to=["kansliet@kloss-net.se"], obj=applicant)
    Delivery.objects.filter(pk=pk).update(
        status="failed", attempts=1, last_error="recipient refused (kansliet@kloss-net.se: 550 5.1.1 No such user)"
    )
    return Delivery.objects.get(pk=pk)


def test_admin_list_shows_the_error_and_the_address(admin_client):
    delivery = failed_row()
    response = admin_client.get(reverse("admin:network_delivery_changelist"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "550 5.1.1 No such user" in page and "kansliet@kloss-net.se" in page
    assert "Send again (through the worker)" in page
    assert response.context["cl"].result_list[0] == delivery  # failed first


def test_admin_corrects_a_bounced_address_then_sends_again(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    delivery = failed_row()
    url = reverse("admin:network_delivery_change", args=[delivery.pk])
    assert 'name="recipient_email"' in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"recipient_email": "sekretariat@kloss-net.se"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:network_delivery_changelist"), {"action": "send_again", "_selected_action": [delivery.pk]}
        )
    delivery.refresh_from_db()
    assert (delivery.recipient_email, delivery.status, delivery.last_error) == ("sekretariat@kloss-net.se", "sent", "")
    assert [m.to for m in mailoutbox] == [["sekretariat@kloss-net.se"]]


def test_admin_address_of_a_sent_row_cannot_be_changed(admin_client):
    delivery = failed_row()
    Delivery.objects.filter(pk=delivery.pk).update(status="sent")
    response = admin_client.get(reverse("admin:network_delivery_change", args=[delivery.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and delivery.recipient_email in page  # shown, read-only
    assert 'name="recipient_email"' not in page


def test_admin_does_not_show_a_stored_one_time_link(admin_client, client, django_capture_on_commit_callbacks):
    member = MemberFactory()
    client.post(reverse("account_reset_password"), {"email": member.user.email})  # queued, not sent
    delivery = Delivery.objects.get()
    assert "/accounts/password/reset/key/" in delivery.context["_message"]["body"]
    page = admin_client.get(reverse("admin:network_delivery_change", args=[delivery.pk])).content.decode()
    assert "/accounts/password/reset/key/" not in page
    assert delivery.context["_message"]["subject"] in page


@pytest.fixture
def broker_down(settings):
    """The test process's Celery sends to a broker that does not answer (Redis down)."""
    from kloss_site.celery import app

    url = "redis://127.0.0.1:1/0"
    names = ["broker_url", "broker_write_url", "broker_read_url", "task_always_eager"]
    previous = {name: app.conf[name] for name in names}

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(broker_url=url, broker_write_url=url, broker_read_url=url, task_always_eager=False)
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    reset_pools()
    try:
        yield url
    finally:
        app.conf.update(previous)
        reset_pools()


def test_approve_with_the_broker_down_answers_and_leaves_the_row_to_the_sweep(
    staff_client, broker_down, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = ApplicantFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("network:approval_decide", args=[applicant.pk]), {"decision": "approve", "note": ""}
        )
    assert response.status_code == 302
    delivery = Delivery.objects.get(kind="application_approved")
    assert (delivery.status, delivery.queued_at is not None) == ("queued", True)
    # Not lost: once it has waited REMINDER_STUCK_AFTER, the sweep hands it on again.
    assert (
        Delivery.objects.stuck(now=delivery.queued_at + timedelta(hours=1), after=timedelta(minutes=10))
        .filter(pk=delivery.pk)
        .exists()
    )
