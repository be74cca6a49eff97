"""Report reminders for project participants, as due computers for the outbox sweep (network/outbox/worker.py).

- project_report_due: REMINDER_OFFSETS["project_report_due"] (14 days) before a round's deadline;
- project_report_overdue: REMINDER_OFFSETS["project_report_overdue"] (1 day) after it.
Both go at 08:00 Stockholm to every active participant (coordinators included) of an active project
that owes the round's report (`selectors.reports_owed`), and are skipped once the report is submitted.
The key carries the round and its deadline: a moved deadline gives new rows, the old ones are skipped.

A round that asks every institution for its uptake also asks their contacts, and reminds those whose
institution has not answered (project_uptake_request, project_uptake_due: see below).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef
from django.utils import timezone

from network.models import Delivery, Institution, Member
from network.outbox.worker import Due, object_key_of, reminder_kind, reminder_offset

from .models import Participation, Project, Report, ReportingRound, Uptake
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


# --- Uptake: a round that asks every institution what it did with the results --------------------
#
# - project_uptake_request: when a round that asks for uptake (ReportingRound.asks_uptake) opens, to
#   the contacts (active members) of every member institution; not optional, it is the question;
# - project_uptake_due: REMINDER_OFFSETS["project_uptake_due"] (7 days) before its deadline, at 08:00
#   Stockholm, to the contacts of the institutions that have not answered yet (optional).
# An institution answers by recording or following up an uptake while the round is open
# (services.uptake_*: the record carries the round). Each contact gets each message once per round
# and deadline (the key carries both); one that has not gone out when her institution answers, or
# the round stops asking or moves its deadline, is skipped.


def _uptake_rounds(now: datetime.datetime) -> list[ReportingRound]:
    today = timezone.localdate(now)
    return list(ReportingRound.objects.filter(asks_uptake=True, deadline__gte=today, opened_at__lte=now))


def _uptake_key(round_: ReportingRound) -> str:
    return f"{object_key_of(round_)}@uptake-{round_.deadline.isoformat()}"


def _uptake_contacts(round_: ReportingRound, kind: str) -> Iterator[Member]:
    """The active members of the member institutions that have not answered the round, and have not
    had this message about it yet: one query."""
    answered = Uptake.objects.filter(round=round_, institution=OuterRef("institution"))
    told = Delivery.objects.filter(recipient=OuterRef("pk"), kind=kind, object_key=_uptake_key(round_))
    members = Institution.objects.current_members().values("pk")
    return (
        Member.objects.active()
        .filter(institution__in=members)
        .filter(~Exists(answered), ~Exists(told))
        .select_related("user")
        .order_by("pk")
    )


def _uptake_dues(kind: str, now: datetime.datetime, due_at_of) -> Iterator[Due]:
    for round_ in _uptake_rounds(now):
        due_at = due_at_of(round_)
        expires_at = _at(round_.deadline + datetime.timedelta(days=1))  # the end of the deadline day
        if not due_at <= now < expires_at:
            continue
        for member in _uptake_contacts(round_, kind):
            yield Due(
                obj=round_,
                object_key=_uptake_key(round_),
                recipient=member,
                due_at=due_at,
                expires_at=expires_at,
                context={"deadline": round_.deadline.isoformat()},
            )


@reminder_kind("project_uptake_request", template="projects/uptake_request", optional=False)
def uptake_request(now: datetime.datetime) -> Iterator[Due]:
    return _uptake_dues("project_uptake_request", now, lambda round_: round_.opened_at)


@reminder_kind("project_uptake_due", template="projects/uptake_due", optional=True)
def uptake_due(now: datetime.datetime) -> Iterator[Due]:
    offset = reminder_offset("project_uptake_due")
    return _uptake_dues("project_uptake_due", now, lambda round_: _at(round_.deadline) - offset)


def _uptake_still_asked(delivery, now) -> bool:
    round_ = delivery.obj
    member = delivery.recipient
    return (
        round_.asks_uptake
        and round_.deadline.isoformat() == delivery.context.get("deadline")
        and member is not None
        and member.institution_id is not None
        and not Uptake.objects.filter(round=round_, institution_id=member.institution_id).exists()
    )


def _uptake_context(delivery) -> dict:
    return {"round": delivery.obj, "institution": delivery.recipient.institution if delivery.recipient else None}


for _kind in (uptake_request, uptake_due):
    _kind.still_valid(_uptake_still_asked)
    _kind.context(_uptake_context)
