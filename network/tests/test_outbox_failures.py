"""What the outbox does when mail cannot go out: an address that is not one (refused when queued),
the retry horizon of a mail server that is down (network/reminders.py), and the secretariat's notice
when mail has been failing for a while (network/outbox_health.py)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from network import messaging
from network.mail import InvalidAddress, address_check, mail_enqueue
from network.models import Delivery, Member
from network.reminders import (
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
