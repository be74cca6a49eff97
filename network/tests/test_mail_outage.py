"""Issue 13: every email goes through the outbox, so a mail server that is down costs no error page.

PostgreSQL, a real Celery worker on the configured broker (Redis in CI) and a real SMTP server that
is stopped while the user acts: the page answers as usual, a delivery row is recorded, and once the
server is back the worker delivers exactly one message. A 550 for one recipient fails that row after
one attempt while the others are sent.
"""

import re
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.test import Client
from django.urls import reverse

from network.models import Delivery, Member
from network.outbox.worker import DELIVERY_HEADER
from network.tests.factories import ApplicantFactory, InstitutionFactory, MemberFactory
from tests.support.ports import free_port
from tests.support.smtp import SMTPRecorder
from tests.support.waiting import wait_until as wait_for_condition

PASSWORD = "Samverkan-lösen-2026!"

pytestmark = pytest.mark.usefixtures("require_postgres")


@dataclass
class OutageSMTP(SMTPRecorder):
    """A real SMTP server that can be stopped and started again on its port, and that refuses
    (550 at RCPT) the addresses in `refuse`."""

    refuse: set[str] = field(default_factory=set)
    controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd hook
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """Replaces conftest's server (same settings, and the worker's EMAIL_URL points at it)."""
    server = OutageSMTP(host="127.0.0.1", port=free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def celery_worker_env(celery_worker_env):
    """Retries after 1 s (doubling) instead of a minute: the outage lasts seconds."""
    return {**celery_worker_env, "REMINDER_RETRY_BACKOFF": "1"}


def wait_until(predicate, timeout: float = 60.0) -> bool:
    return wait_for_condition(predicate, timeout=timeout)


def body_of(message, subtype="plain") -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")


def staff_client(staff_user) -> Client:
    from network.tests.factories import login  # records the second factor, as a real staff login does

    client = Client()
    login(client, staff_user)
    return client


# Each action: done while the server is down; returns (response, the address that must get one
# message, the kind of its delivery).


def approve(client, staff_user, settings):
    applicant = ApplicantFactory(user__email="applicant.approve@mau.se", language="en")
    response = staff_client(staff_user).post(
        reverse("network:approval_decide", args=[applicant.pk]), {"decision": "approve", "note": "Välkommen!"}
    )
    assert Member.objects.get(pk=applicant.pk).status == Member.Status.APPROVED
    return response, applicant.user.email, "application_approved"


def reject(client, staff_user, settings):
    applicant = ApplicantFactory(user__email="applicant.reject@mau.se", language="en")
    response = staff_client(staff_user).post(
        reverse("network:approval_decide", args=[applicant.pk]), {"decision": "reject", "note": "Not a leader."}
    )
    assert Member.objects.get(pk=applicant.pk).status == Member.Status.REJECTED
    return response, applicant.user.email, "application_rejected"


def signup(client, staff_user, settings):
    InstitutionFactory(domain="mau.se")
    data = {
        "email": "new.signup@mau.se",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Lena",
        "last_name": "Malmström",
        "title": "Vicerektor för samverkan",
        "role": "vice_rector",
        "institution": "",
        "accept_privacy": "on",
    }
    response = client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert Member.objects.get(user__email="new.signup@mau.se").status == Member.Status.UNVERIFIED
    return response, "new.signup@mau.se", "account_email_confirmation_signup"


def confirm_email(client, staff_user, settings):
    settings.SECRETARIAT_EMAILS = ["kansliet@kloss-net.se"]
    member = ApplicantFactory(
        status=Member.Status.UNVERIFIED, user__email="confirming@mau.se", user__verified=False, language="en"
    )
    address = EmailAddress.objects.create(user=member.user, email=member.user.email, verified=False, primary=True)
    key = EmailConfirmationHMAC(address).key
    response = client.post(reverse("account_confirm_email", args=[key]))
    assert Member.objects.get(pk=member.pk).status == Member.Status.APPLICANT
    return response, "kansliet@kloss-net.se", "application_received"


def password_reset(client, staff_user, settings):
    member = MemberFactory(user__email="forgetful@mau.se")
    response = client.post(reverse("account_reset_password"), {"email": member.user.email})
    return response, member.user.email, "account_password_reset_key"


@pytest.mark.parametrize("action", [approve, reject, signup, confirm_email, password_reset], ids=lambda a: a.__name__)
def test_action_with_the_mail_server_down_answers_and_mails_once_it_is_back(
    action, client, staff_user, smtp_server, celery_worker_process, settings
):
    smtp_server.stop()

    response, address, kind = action(client, staff_user, settings)

    # The page answers as it always does (a redirect to the next step), not 500.
    assert response.status_code == 302, response.content[:500]
    delivery = Delivery.objects.get(kind=kind)
    assert delivery.to_address == address
    # The worker tries while the server is down, keeps the row queued with the error, and retries.
    assert wait_until(lambda: Delivery.objects.get(pk=delivery.pk).attempts >= 1), celery_worker_process.output()
    assert wait_until(lambda: Delivery.objects.get(pk=delivery.pk).last_error != "")
    row = Delivery.objects.get(pk=delivery.pk)
    assert row.status in ("queued", "sending") and "Connection" in row.last_error

    smtp_server.start()

    messages = smtp_server.wait_for(1, timeout=90)
    assert len(messages) == 1, celery_worker_process.output()
    assert wait_until(lambda: Delivery.objects.get(pk=delivery.pk).status == "sent")
    # No duplicate can come any more: the row is sent (a task only claims a queued row) and the worker
    # has nothing left, neither on its queue nor received (a retry it holds until its countdown counts).
    assert wait_until(celery_worker_process.idle), celery_worker_process.output()
    assert [m["X-Envelope-To"] for m in smtp_server.messages] == [address]
    assert smtp_server.messages[0][DELIVERY_HEADER] == str(delivery.pk)
    assert Delivery.objects.get(pk=delivery.pk).last_error == ""


def test_signup_link_in_the_delayed_mail_confirms_the_address(
    client, staff_user, smtp_server, celery_worker_process, settings
):
    """The verification mail sent after the outage works: its link confirms and tells the secretariat."""
    settings.SECRETARIAT_EMAILS = ["kansliet@kloss-net.se"]
    smtp_server.stop()
    response, address, _kind = signup(client, staff_user, settings)
    assert response.status_code == 302
    # The mail is delayed for real: the worker has tried it while the server was down.
    delivery = Delivery.objects.get(kind="account_email_confirmation_signup")
    assert wait_until(lambda: Delivery.objects.get(pk=delivery.pk).attempts >= 1), celery_worker_process.output()
    smtp_server.start()
    [mail] = smtp_server.wait_for(1, timeout=90)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", body_of(mail)).group(1)
    assert client.post(link).status_code == 302
    assert Member.objects.get(user__email=address).status == Member.Status.APPLICANT
    messages = smtp_server.wait_for(2, timeout=60)
    assert [m["X-Envelope-To"] for m in messages] == [address, "kansliet@kloss-net.se"]
    # Once sent, the stored message keeps its subject only (it held a one-time link).
    stored = Delivery.objects.get(kind="account_email_confirmation_signup").context["_message"]
    assert set(stored) == {"subject"}


def test_550_for_one_recipient_fails_that_row_at_once_and_sends_the_others(
    smtp_server, celery_worker_process, settings
):
    settings.SECRETARIAT_EMAILS = ["kansliet@kloss-net.se", "gone@kloss-net.se", "rektor@kloss-net.se"]
    smtp_server.refuse = {"gone@kloss-net.se"}
    from network import services

    member = ApplicantFactory(status=Member.Status.UNVERIFIED, user__email="applies@mau.se")
    services.member_mark_verified(user=member.user)

    sent = smtp_server.wait_for(2, timeout=90)
    rows = Delivery.objects.filter(kind="application_received")
    assert wait_until(lambda: not rows.filter(status__in=["queued", "sending"]).exists()), (
        celery_worker_process.output()
    )
    # A wrongly retried row would come back: every row is final and the worker has no task left
    # (none queued, none received and held for its countdown), so none can.
    assert wait_until(celery_worker_process.idle), celery_worker_process.output()
    by_address = {row.recipient_email: row for row in rows}
    refused = by_address["gone@kloss-net.se"]
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert "550" in refused.last_error and "No such user" in refused.last_error
    for address in ("kansliet@kloss-net.se", "rektor@kloss-net.se"):
        assert (by_address[address].status, by_address[address].attempts) == ("sent", 1)
    assert sorted(m["X-Envelope-To"] for m in sent) == ["kansliet@kloss-net.se", "rektor@kloss-net.se"]
    assert len(smtp_server.messages) == 2
