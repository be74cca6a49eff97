"""A test-only reminder kind that exercises the outbox machinery (tests and bench/reminders.py).

Due `REMINDER_OFFSETS["outbox_test"]` (1 day by default) after a member applied, to members whose
title starts with MARKER (so members made by other tests are left alone). A worker that must know
the kind gets REMINDER_KIND_MODULES=kloss_site.digest,tests.support.outbox_kind in its environment.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from network.models import Institution, Member
from network.outbox.worker import Due, reminder_kind

KIND = "outbox_test"
MARKER = "outbox-test"
WORKER_KIND_MODULES = "kloss_site.digest,tests.support.outbox_kind"


@reminder_kind(KIND, template="outbox_test", optional=True)
def outbox_test_kind(now):
    offset = settings.REMINDER_OFFSETS.get(KIND, timedelta(days=1))
    members = Member.objects.active().filter(title__startswith=MARKER).only("pk", "applied_at")
    for member in members.iterator(chunk_size=2000):
        due_at = member.applied_at + offset
        yield Due(obj=member, recipient=member, due_at=due_at, expires_at=due_at + timedelta(days=30))


def make_recipients(n: int, *, prefix: str = "r", applied_at=None) -> list[Member]:
    """`n` approved members for the test kind, made in bulk (factories would hash n passwords)."""
    User = get_user_model()
    institution, _ = Institution.objects.get_or_create(
        name=f"Outbox test university {prefix}",
        defaults={"slug": f"outbox-test-{prefix}", "joined_on": timezone.localdate() - timedelta(days=400)},
    )
    applied_at = applied_at or timezone.now() - timedelta(days=2)
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}{i}@outbox.example.se", password="!", first_name="R", last_name=str(i))
            for i in range(n)
        ],
        batch_size=1000,
    )
    users = list(User.objects.filter(email__endswith="@outbox.example.se", email__startswith=prefix).order_by("pk"))
    Member.objects.bulk_create(
        [
            Member(
                user=u,
                institution=institution,
                title=MARKER,
                status=Member.Status.APPROVED,
                applied_at=applied_at,
                calendar_token=f"{prefix}-{u.pk}",
            )
            for u in users
        ],
        batch_size=1000,
    )
    return list(Member.objects.filter(institution=institution))
