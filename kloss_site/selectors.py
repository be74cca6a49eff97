"""Reads for the member home page: one call gathers every panel with a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from meetings.models import Attendance, Meeting
from meetings.selectors import meetings_upcoming
from network import selectors as network_selectors
from network.models import Member
from projects import selectors as project_selectors
from projects.models import Participation

LATEST_OUTPUTS = 5


@dataclass
class StaffCounts:
    applications: int
    meetings_without_date: int
    overdue_reports: int


@dataclass
class Home:
    next_meeting: Meeting | None
    my_attendance: Attendance | None
    hosted_meetings: list[Meeting]
    participations: list[Participation]
    reports_owed: list[project_selectors.OwedReport]
    latest_outputs: list
    lead: object
    steering_group: list
    staff: StaffCounts | None = None
    coordinated_project_ids: set[int] = field(default_factory=set)


def home_for(user) -> Home:
    """Everything the home page shows to `user` (an active member, or staff with a member profile)."""
    member: Member | None = getattr(user, "member", None)
    now = timezone.now()
    upcoming = list(meetings_upcoming(now))  # a handful of rows: this half-year on
    dated = [m for m in upcoming if m.starts_at and m.status != Meeting.Status.CANCELLED]
    next_meeting = min(dated, key=lambda m: m.starts_at) if dated else None
    my_attendance = (
        Attendance.objects.filter(meeting=next_meeting, member=member).first() if next_meeting and member else None
    )
    hosted = [
        m for m in upcoming if member and m.host_id == member.institution_id and m.status != Meeting.Status.CANCELLED
    ]

    participations = list(project_selectors.projects_of_member(member)) if member else []
    my_projects = {p.project_id for p in participations}
    # One call of reports_owed serves her projects and the staff's overdue count.
    all_owed = project_selectors.reports_owed() if (my_projects or user.is_staff) else []
    owed = [o for o in all_owed if o.project.pk in my_projects]
    latest = list(project_selectors.outputs_catalogue().order_by("-created_at")[:LATEST_OUTPUTS])

    staff = None
    if user.is_staff:
        staff = StaffCounts(
            applications=Member.objects.filter(status=Member.Status.APPLICANT).count(),
            meetings_without_date=Meeting.objects.filter(starts_at__isnull=True)
            .filter(Q(status=Meeting.Status.PROPOSED) | Q(status=Meeting.Status.CONFIRMED))
            .count(),
            overdue_reports=sum(1 for o in all_owed if o.is_overdue),
        )
    return Home(
        next_meeting=next_meeting,
        my_attendance=my_attendance,
        hosted_meetings=hosted,
        participations=participations,
        reports_owed=owed,
        latest_outputs=latest,
        lead=network_selectors.current_lead(),
        steering_group=list(network_selectors.current_steering_group()),
        staff=staff,
        coordinated_project_ids={p.project_id for p in participations if p.is_coordinator},
    )
