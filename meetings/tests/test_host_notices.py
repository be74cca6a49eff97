"""Issue 13: a secretariat override (or swap) of the rotation tells the hosts, through the outbox."""

import pytest

from meetings import services
from meetings.models import Meeting
from meetings.tests.test_services import three_institutions
from network.models import Delivery
from network.tests.factories import MemberFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


def planned():
    alfa, beta, gamma = three_institutions()
    services.rotation_plan(count=3)
    return (alfa, beta, gamma), list(Meeting.objects.order_by("year", "-season"))


def test_override_tells_the_new_host_it_hosts_and_the_old_host_it_no_longer_does(
    mailoutbox, django_capture_on_commit_callbacks
):
    (alfa, _beta, gamma), (first, _second, _third) = planned()
    new_contact = MemberFactory(institution=gamma, language="en")
    old_contact = MemberFactory(institution=alfa, language="en")
    MemberFactory(institution=gamma, status="applicant")  # not yet a member: not told
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_override_host(meeting=first, host=gamma, by=StaffUserFactory())

    rows = Delivery.objects.filter(object_id=first.pk).order_by("kind")
    assert [(r.kind, r.recipient, r.status) for r in rows] == [
        ("meeting_host_assigned", new_contact, "sent"),
        ("meeting_host_withdrawn", old_contact, "sent"),
    ]
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {new_contact.email, old_contact.email}
    assert "now hosts the meeting of" in by_address[new_contact.email].subject
    assert f"/meetings/{first.pk}/" in by_address[new_contact.email].body
    assert "no longer hosts" in by_address[old_contact.email].subject


def test_override_sends_nothing_before_commit_and_nothing_when_refused(mailoutbox, django_capture_on_commit_callbacks):
    (alfa, _beta, _gamma), (_first, second, _third) = planned()
    MemberFactory(institution=alfa)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.MeetingError):
        services.meeting_override_host(meeting=second, host=alfa, by=None)  # two in a row: refused
    assert not Delivery.objects.exists() and mailoutbox == []


def test_a_later_change_skips_the_stale_host_notice(mailoutbox, django_capture_on_commit_callbacks):
    (alfa, beta, gamma), (first, _second, _third) = planned()
    gamma_contact = MemberFactory(institution=gamma)
    MemberFactory(institution=alfa)
    # Without a worker (no commit callbacks run), two changes: gamma, then back to alfa.
    services.meeting_override_host(meeting=first, host=gamma, by=None)
    services.meeting_override_host(meeting=first, host=alfa, by=None)
    assigned = Delivery.objects.filter(kind="meeting_host_assigned", recipient=gamma_contact).get()
    # The worker reaches the first notice after the second change: gamma no longer hosts.
    from network.outbox.worker import delivery_send

    assert delivery_send(delivery_id=assigned.pk) == "skipped"
    assert Delivery.objects.get(pk=assigned.pk).last_error == "no longer valid"


def test_swap_tells_both_hosts(mailoutbox, django_capture_on_commit_callbacks):
    (alfa, _beta, gamma), (first, _second, third) = planned()
    alfa_contact = MemberFactory(institution=alfa, language="en")
    gamma_contact = MemberFactory(institution=gamma, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_swap_hosts(first=first, second=third, by=None)
    told = sorted(Delivery.objects.values_list("kind", "recipient", "object_id"))
    assert told == sorted(
        [
            ("meeting_host_assigned", gamma_contact.pk, first.pk),
            ("meeting_host_withdrawn", alfa_contact.pk, first.pk),
            ("meeting_host_assigned", alfa_contact.pk, third.pk),
            ("meeting_host_withdrawn", gamma_contact.pk, third.pk),
        ]
    )
    assert len(mailoutbox) == 4
