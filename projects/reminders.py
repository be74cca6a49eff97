"""Report reminders for project participants, as due computers for the outbox sweep (network/outbox/worker.py).

- project_report_due: REMINDER_OFFSETS["project_report_due"] (14 days) before a round's deadline;
- project_report_overdue: REMINDER_OFFSETS["project_report_overdue"] (1 day) after it.
Both go at 08:00 Stockholm to every active participant (coordinators included) of an active project
that owes the round's report (`selectors.reports_owed`), and are skipped once the report is submitted.
The key carries the round and its deadline: a moved deadline gives new rows, the old ones are skipped.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.utils import timezone

from network.models import Member
from network.outbox.worker import Due, object_key_of, reminder_kind, reminder_offset

from .models import Participation, Project, Report, ReportingRound
from .selectors import reports_owed

SEND_AT = datetime.time(8, 0)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
OVERDUE_WINDOW = datetime.timedelta(days=30)  # an overdue reminder found later than this is not sent


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, SEND_AT, tzinfo=STOCKHOLM)


def _recipients(projects: list[Project]) -> dict[int, list[Member]]:
    """Active participants (coordinators too) per project, in one query."""
    active = Member.objects.active()
    per_project: dict[int, list[Member]] = {}
    for participation in Participation.objects.filter(project__in=projects, member__in=active).select_related(
        "member__user"
    ):
        per_project.setdefault(participation.project_id, []).append(participation.member)
    return per_project


def _report_dues(name: str, now: datetime.datetime, *, overdue: bool) -> Iterator[Due]:
    offset = reminder_offset(name)
    today = timezone.localdate(now)
    owed = [o for o in reports_owed(on=today) if (today > o.round.deadline) == overdue]
    rows = []
    for item in owed:
        deadline = item.round.deadline
        if overdue:
            due_at = _at(deadline) + offset
            expires_at = due_at + OVERDUE_WINDOW
        else:
            due_at = _at(deadline) - offset
            expires_at = _at(deadline + datetime.timedelta(days=1))  # the end of the deadline day
        if due_at <= now < expires_at:
            rows.append((item, due_at, expires_at))
    recipients = _recipients([item.project for item, _, _ in rows])
    for item, due_at, expires_at in rows:
        key = f"{object_key_of(item.project)}@round-{item.round.pk}-{item.round.deadline.isoformat()}"
        for member in recipients.get(item.project.pk, []):
            yield Due(
                obj=item.project,
                object_key=key,
                recipient=member,
                due_at=due_at,
                expires_at=expires_at,
                context={"round": item.round.pk, "deadline": item.round.deadline.isoformat()},
            )


def _still_owed(delivery, now) -> bool:
    project = delivery.obj
    round_ = ReportingRound.objects.filter(pk=delivery.context.get("round")).first()
    return (
        round_ is not None
        and round_.deadline.isoformat() == delivery.context.get("deadline")
        and project.status == Project.Status.ACTIVE
        and project.participations.filter(member_id=delivery.recipient_id).exists()
        and not Report.objects.filter(round=round_, project=project, state=Report.State.SUBMITTED).exists()
    )


def _context(delivery) -> dict:
    round_ = ReportingRound.objects.get(pk=delivery.context["round"])
    report = Report.objects.filter(round=round_, project=delivery.obj).first()
    return {"project": delivery.obj, "round": round_, "report": report}


@reminder_kind("project_report_due", template="projects/report_due", optional=True)
def report_due(now: datetime.datetime) -> Iterator[Due]:
    return _report_dues("project_report_due", now, overdue=False)


@reminder_kind("project_report_overdue", template="projects/report_overdue", optional=True)
def report_overdue(now: datetime.datetime) -> Iterator[Due]:
    return _report_dues("project_report_overdue", now, overdue=True)


for _kind in (report_due, report_overdue):
    _kind.still_valid(_still_owed)
    _kind.context(_context)
