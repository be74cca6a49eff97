"""Retention: the nightly job removes what the privacy notice says, when it says (time-machine tests)."""

import datetime

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from kloss_site.celery import app
from kloss_site.retention import retention_nightly
from network import services
from network.audit import AuditEvent
from network.models import Delivery, Member
from network.tests.factories import ApplicantFactory, MemberFactory, StaffUserFactory

User = get_user_model()
START = datetime.datetime(2026, 1, 10, 12, 0, tzinfo=datetime.UTC)


def _days(key: str) -> int:
    return settings.RETENTION[key]


def test_retention_is_a_nightly_beat_job():
    job = app.conf.beat_schedule["retention-nightly"]
    assert job["task"] == "kloss_site.retention"
    assert job["schedule"].hour == {3}
    assert "kloss_site.retention" in app.tasks


def test_rejected_application_deleted_after_its_period_not_before(db):
    with time_machine.travel(START, tick=False):
        applicant = ApplicantFactory()
        services.member_reject(member=applicant, by=StaffUserFactory(), note="Not a member institution")
        email = applicant.user.email
    with time_machine.travel(START + datetime.timedelta(days=_days("rejected_application_days") - 1), tick=False):
        retention_nightly()
        assert User.objects.filter(email=email).exists()
    with time_machine.travel(START + datetime.timedelta(days=_days("rejected_application_days") + 1), tick=False):
        result = retention_nightly()
    assert result["rejected"] == 1
    assert not User.objects.filter(email=email).exists()
    assert not Member.objects.filter(pk=applicant.pk).exists()
    assert not Member.history.filter(id=applicant.pk).exists()


def test_unconfirmed_signup_deleted_after_its_period(db):
    with time_machine.travel(START, tick=False):
        unverified = MemberFactory(status=Member.Status.UNVERIFIED, applied_at=timezone.now())
    with time_machine.travel(START + datetime.timedelta(days=_days("unverified_signup_days") - 1), tick=False):
        retention_nightly()
        assert Member.objects.filter(pk=unverified.pk).exists()
    with time_machine.travel(START + datetime.timedelta(days=_days("unverified_signup_days") + 1), tick=False):
        retention_nightly()
    assert not Member.objects.filter(pk=unverified.pk).exists()


def _delivery(member, status, due_at, kind="test"):
    return Delivery.objects.create(
        kind=kind, object_key=f"{kind}:{status}", recipient=member, due_at=due_at, status=status
    )


def test_delivery_log_deleted_after_a_year_queued_rows_kept(db):
    member = MemberFactory()
    with time_machine.travel(START, tick=False):
        old = [_delivery(member, status, timezone.now()) for status in ("sent", "skipped", "failed")]
        queued = _delivery(member, "queued", timezone.now())
    with time_machine.travel(START + datetime.timedelta(days=_days("delivery_log_days") - 1), tick=False):
        retention_nightly()
        assert Delivery.objects.filter(pk__in=[d.pk for d in old]).count() == 3
    with time_machine.travel(START + datetime.timedelta(days=_days("delivery_log_days") + 1), tick=False):
        result = retention_nightly()
    assert result["deliveries"] == 3
    assert list(Delivery.objects.values_list("pk", flat=True)) == [queued.pk]


def test_departed_member_anonymised_after_its_period_history_kept(db):
    with time_machine.travel(START, tick=False):
        member = MemberFactory(title="Vicerektor", phone="070-1234567")
        services.member_leave(member=member)
        email = member.user.email
    with time_machine.travel(START + datetime.timedelta(days=_days("departed_member_days") - 1), tick=False):
        retention_nightly()
        member.refresh_from_db()
        assert member.user.email == email and member.title == "Vicerektor"
    with time_machine.travel(START + datetime.timedelta(days=_days("departed_member_days") + 1), tick=False):
        assert retention_nightly()["departed"] == 1
        assert retention_nightly()["departed"] == 0  # already erased: not again
    member.refresh_from_db()
    assert member.user.email.endswith("@deleted.invalid")
    assert (member.title, member.phone, member.user.first_name, member.user.is_active) == ("", "", "", False)
    assert Member.objects.filter(pk=member.pk, status=Member.Status.LEFT).exists()  # the row stays, nameless


def test_old_audit_events_deleted(db):
    with time_machine.travel(START, tick=False):
        event = AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN_FAILED, target="x@example.se")
    with time_machine.travel(START + datetime.timedelta(days=_days("audit_days") + 1), tick=False):
        retention_nightly()
    assert not AuditEvent.objects.filter(pk=event.pk).exists()


def test_privacy_notice_states_the_retention_periods_from_settings(client, settings):
    settings.RETENTION = {**settings.RETENTION, "rejected_application_days": 91, "departed_member_days": 400}
    response = client.get(reverse("network:privacy_notice"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "91 days" in page and "400 days" in page
    assert f"{settings.RETENTION['delivery_log_days']} days" in page
    assert f"{settings.RETENTION['unverified_signup_days']} days" in page
