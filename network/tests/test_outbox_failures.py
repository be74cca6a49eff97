"""What the outbox does when mail cannot go out: an address that is not one (refused when queued),
the retry horizon of a mail server that is down (network/outbox/worker.py), and the secretariat's notice
when mail has been failing for a while (network/outbox/health.py)."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from network.messages import messaging
from network.models import Delivery, Member
from network.outbox import health as outbox_health
from network.outbox.mail import InvalidAddress, address_check, mail_enqueue
from network.outbox.worker import (
    RetryLater,
    delivery_requeue,
    delivery_send,
    reminders_sweep,
    retry_countdown,
    retry_gives_up,
)
from network.tests.factories import MemberFactory
from tests.support.outbox_kind import KIND, MARKER

pytestmark = pytest.mark.django_db


def member_with_address(address: str) -> Member:
    member = MemberFactory()
    type(member.user).objects.filter(pk=member.user_id).update(email=address)  # as a hand edit in the database would
    member.user.refresh_from_db()
    return member


# --- An address that is not one ---------------------------------------------------------------


def test_address_check_refuses_an_address_without_a_domain_with_a_translated_error():
    address_check("kansliet@kloss-net.se")  # a real one passes
    with translation.override("en"), pytest.raises(InvalidAddress, match="is not an email address") as error:
        address_check("not an address")
    assert error.value.address == "not an address"
    with translation.override("sv"), pytest.raises(InvalidAddress, match="är inte en e-postadress"):
        address_check("kansliet@")


def test_enqueue_fails_a_bad_address_at_once_and_mails_everyone_else(mailoutbox, django_capture_on_commit_callbacks):
    good, broken = MemberFactory(), member_with_address("not-an-address")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        ids = mail_enqueue(kind="adhoc_test", template="outbox_test", to=[good, broken, "not an address"], obj=good)
    assert len(ids) == 3  # every recipient has her row
    assert [m.to for m in mailoutbox] == [[good.email]]
    rows = {d.to_address: d for d in Delivery.objects.filter(pk__in=ids)}
    assert rows[good.email].status == "sent"
    for address in ("not-an-address", "not an address"):
        assert rows[address].status == "failed"
        assert rows[address].attempts == 0  # never handed to the mail server
        assert f"“{address}” is not an email address" in rows[address].last_error


def test_a_message_to_35_members_with_one_bad_address_reaches_the_other_34(
    staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    members = [MemberFactory() for _ in range(34)]
    broken = member_with_address("kansliet.kloss-net.se")
    with django_capture_on_commit_callbacks(execute=True):
        message, created = messaging.message_send(
            by=staff_user, token=uuid.uuid4(), filters={}, subject_sv="Hej", body_sv="Välkomna."
        )
    assert created and message.recipients.count() == 35
    assert sorted(address for m in mailoutbox for address in m.to) == sorted(m.email for m in members)
    row = Delivery.objects.get(kind="member_message", recipient=broken)
    assert (row.status, row.attempts) == ("failed", 0)
    assert "kansliet.kloss-net.se" in row.last_error


def test_sweep_fails_a_due_reminder_to_a_bad_address_and_sends_the_others(
    mailoutbox, django_capture_on_commit_callbacks
):
    good = MemberFactory(title=MARKER, applied_at=timezone.now() - timedelta(days=2))
    broken = MemberFactory(title=MARKER, applied_at=timezone.now() - timedelta(days=2))
    type(broken.user).objects.filter(pk=broken.user_id).update(email="broken")
    with django_capture_on_commit_callbacks(execute=True):
        result = reminders_sweep(only=[KIND])
    assert result.created == 2 and result.queued == 1
    assert [m.to for m in mailoutbox] == [[good.email]]
    assert Delivery.objects.get(kind=KIND, recipient=broken).status == "failed"


def test_send_again_keeps_a_bad_address_failed_until_it_is_corrected(mailoutbox, django_capture_on_commit_callbacks):
    broken = member_with_address("broken")
    with django_capture_on_commit_callbacks(execute=True):
        [pk] = mail_enqueue(kind="adhoc_test", template="outbox_test", to=[broken], obj=broken)
        assert delivery_requeue(deliveries=Delivery.objects.filter(pk=pk)) == 0
    assert Delivery.objects.get(pk=pk).status == "failed"
    assert mailoutbox == []
    # Corrected in her profile: "send again" sends it.
    type(broken.user).objects.filter(pk=broken.user_id).update(email="corrected@kloss-net.se")
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_requeue(deliveries=Delivery.objects.filter(pk=pk)) == 1
    assert [m.to for m in mailoutbox] == [["corrected@kloss-net.se"]]
    assert Delivery.objects.get(pk=pk).status == "sent"


def test_worker_never_hands_an_address_broken_after_queueing_to_the_mail_server(smtp_server):
    member = MemberFactory()
    [pk] = mail_enqueue(kind="adhoc_test", template="outbox_test", to=[member], obj=member)  # not handed on here
    type(member.user).objects.filter(pk=member.user_id).update(email="broken@")
    assert delivery_send(delivery_id=pk) == "failed"
    assert "broken@" in Delivery.objects.get(pk=pk).last_error
    assert smtp_server.messages == []


# --- The retry horizon ----------------------------------------------------------------------------


def test_retry_schedule_doubles_from_a_minute_caps_at_an_hour_and_lasts_a_day(settings):
    settings.REMINDER_RETRY_BACKOFF, settings.REMINDER_RETRY_BACKOFF_MAX = 60, 3600
    settings.REMINDER_RETRY_FOR = timedelta(hours=24)
    assert [retry_countdown(n) for n in range(1, 10)] == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    # A mail server that never answers: every try fails, until the row gives up.
    first = timezone.now()
    tried_at, attempts = first, 1
    while not retry_gives_up(failing_since=first, now=tried_at):
        tried_at += timedelta(seconds=retry_countdown(attempts))
        attempts += 1
    assert timedelta(hours=24) <= tried_at - first < timedelta(hours=25)
    assert 25 <= attempts <= 35  # about 30 tries, not 6
    assert not retry_gives_up(failing_since=first, now=first + timedelta(hours=2))


def test_a_row_failing_for_2_hours_is_still_queued_and_after_25_hours_failed(smtp_server):
    member = MemberFactory()
    [pk] = mail_enqueue(kind="adhoc_test", template="outbox_test", to=[member], obj=member)
    smtp_server.fail_next = 3  # 451: the mail server is in trouble
    with pytest.raises(RetryLater):
        delivery_send(delivery_id=pk)
    row = Delivery.objects.get(pk=pk)
    assert row.failing_since is not None and row.status == "queued"
    Delivery.objects.filter(pk=pk).update(failing_since=timezone.now() - timedelta(hours=2))
    with pytest.raises(RetryLater) as retry:
        delivery_send(delivery_id=pk)
    assert retry.value.countdown == 120  # the second failure waits twice as long as the first
    assert Delivery.objects.get(pk=pk).status == "queued"
    Delivery.objects.filter(pk=pk).update(failing_since=timezone.now() - timedelta(hours=25))
    assert delivery_send(delivery_id=pk) == "failed"
    row = Delivery.objects.get(pk=pk)
    assert (row.status, row.attempts) == ("failed", 3)
    assert "451" in row.last_error
    assert smtp_server.messages == []


def test_an_smtp_5xx_still_fails_at_once(smtp_server):
    member = MemberFactory()
    [pk] = mail_enqueue(kind="adhoc_test", template="outbox_test", to=[member], obj=member)
    smtp_server.refuse = {member.email: "550 No such user"}
    assert delivery_send(delivery_id=pk) == "failed"
    row = Delivery.objects.get(pk=pk)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550" in row.last_error


# --- Telling the secretariat that mail is failing ---------------------------------------------------


@pytest.fixture
def secretariat(settings):
    settings.SECRETARIAT_EMAILS = ["kansliet@kloss-net.se"]
    settings.OUTBOX_FAILING_NOTICE_AFTER = timedelta(minutes=30)
    return settings.SECRETARIAT_EMAILS


def failing(n: int, *, since, key: str) -> list[int]:
    """`n` rows to members that failed first at `since` (no connection) and wait for their next try."""
    members = [MemberFactory() for _ in range(n)]
    ids = mail_enqueue(kind="adhoc_test", template="outbox_test", to=members, object_key=key)
    Delivery.objects.filter(pk__in=ids).update(
        attempts=1,
        failing_since=since,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        queued_at=since + timedelta(hours=1),
    )
    return ids


def notices() -> list[Delivery]:
    return list(Delivery.objects.filter(kind=outbox_health.KIND).order_by("pk"))


def test_mail_failing_for_long_is_told_once_however_many_rows_and_checks(secretariat):
    now = timezone.now()
    failing(40, since=now - timedelta(minutes=10), key="a")
    assert outbox_health.outbox_check(now=now) == []  # failing for 10 minutes: not yet
    assert notices() == []
    [told] = outbox_health.outbox_check(now=now + timedelta(minutes=25))
    for minutes in (30, 60, 300):  # the mail server stays down: the notice itself waits, and is not repeated
        failing(5, since=now + timedelta(minutes=minutes), key=f"later-{minutes}")
        assert outbox_health.outbox_check(now=now + timedelta(minutes=minutes + 40)) == []
    [notice] = notices()
    assert (notice.pk, notice.recipient_email, notice.status) == (told, "kansliet@kloss-net.se", "queued")
    assert notice.context["waiting"] == 40


def test_mail_that_recovered_and_failed_again_is_told_again(secretariat):
    now = timezone.now()
    failing(10, since=now - timedelta(hours=1), key="first")
    assert len(outbox_health.outbox_check(now=now)) == 1
    # The mail server is back: the notice goes out. The rows of the first outage still wait out their retry.
    assert delivery_send(delivery_id=notices()[0].pk) == "sent"
    assert outbox_health.outbox_check(now=now + timedelta(minutes=50)) == []
    # It fails again, for long enough.
    failing(3, since=now + timedelta(minutes=5), key="second")
    assert outbox_health.outbox_check(now=now + timedelta(minutes=20)) == []  # 15 minutes: not yet
    assert len(outbox_health.outbox_check(now=now + timedelta(minutes=40))) == 1
    assert outbox_health.outbox_check(now=now + timedelta(minutes=90)) == []
    assert [n.context["waiting"] for n in notices()] == [10, 3]


def test_the_notice_says_since_when_how_many_wait_and_the_last_error(secretariat, mailoutbox):
    failing(7, since=timezone.now() - timedelta(hours=1), key="a")
    [pk] = outbox_health.outbox_check()
    assert delivery_send(delivery_id=pk) == "sent"
    [email] = mailoutbox
    assert email.to == ["kansliet@kloss-net.se"]
    with translation.override("sv"):  # the site's language (LANGUAGE_CODE): the subject is Swedish
        assert email.subject.endswith(translation.gettext("Email from the intranet is not getting through"))
    assert "7" in email.body and "Connection refused" in email.body
    assert "/admin/network/delivery/" in email.body


def test_admin_deliveries_page_shows_failing_mail_even_before_the_notice_can_be_sent(admin_client, secretariat):
    url = reverse("admin:network_delivery_changelist")
    failing(2, since=timezone.now() - timedelta(minutes=5), key="a")
    calm = admin_client.get(url).content.decode()
    assert 'id="result_list"' in calm and 'id="outbox-trouble"' not in calm  # 5 minutes: no banner yet
    Delivery.objects.filter(kind="adhoc_test").update(failing_since=timezone.now() - timedelta(hours=2))
    page = admin_client.get(url).content.decode()
    assert 'id="outbox-trouble"' in page
    assert "Connection refused" in page


def test_healthz_says_mail_is_failing_without_failing_itself(client, secretariat):
    assert client.get("/healthz").json()["mail"] == "ok"
    failing(2, since=timezone.now() - timedelta(hours=2), key="a")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["mail"] == "failing"
    assert response.json()["mail_waiting"] == 2


def test_beat_runs_the_check_every_5_minutes(secretariat):
    from kloss_site.celery import app
    from network.tasks import outbox_check_task

    job = app.conf.beat_schedule["outbox-check"]
    assert (job["task"], job["schedule"]) == (outbox_check_task.name, 300.0)
    failing(3, since=timezone.now() - timedelta(hours=1), key="a")
    assert outbox_check_task.delay().get() == 1  # in-process here, as the unit tests run tasks
    assert outbox_check_task.delay().get() == 0
    assert len(notices()) == 1
