"""Reads for the member home page: a constant number of queries, in two calls, one per cached part of
her panels (kloss_site/fragments.py): the next meeting with her answer, and the rest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone

from meetings.models import Action, Attendance, Meeting
from meetings.rules import is_host_contact
from meetings.selectors import meetings_upcoming, open_actions_of
from network import cache
from network import selectors as network_selectors
from network.models import LeadershipTerm, Member
from network.rules import is_staff_with_mfa
from projects import selectors as project_selectors
from projects.models import Participation

from .fragments import HOME_UPCOMING

LATEST_OUTPUTS = 5


@dataclass
class StaffCounts:
    applications: int
    meetings_without_date: int
    overdue_reports: int


@dataclass
class NextMeeting:
    meeting: Meeting | None
    my_attendance: Attendance | None


@dataclass
class Home:
    hosted_meetings: list[Meeting]
    participations: list[Participation]
    reports_owed: list[project_selectors.OwedReport]
    # Callables: the template calls them only when it builds the shared fragment.
    latest_outputs: Callable[[], QuerySet]
    lead: Callable[[], LeadershipTerm | None]
    steering_group: Callable[[], QuerySet]
    staff: StaffCounts | None = None
    can_host: bool = False  # may she act for her institution's hosted meetings
    open_actions: list[Action] = field(default_factory=list)  # hers and her institution's


def _upcoming(user) -> list[Meeting]:
    """The coming meetings she may see (this half-year on; the same rows for everyone, from the
    cache: kloss_site/fragments.py), read once per request."""

    def read():
        upcoming = HOME_UPCOMING.cached(lambda: list(meetings_upcoming(timezone.now(), steering=True)))
        if not rules.has_perm("meetings.view_steering_meetings", user):
            upcoming = [m for m in upcoming if not m.is_restricted]
        return upcoming

    return cache.per_request(("home_upcoming", user.pk), read)


def next_meeting_for(user) -> NextMeeting:
    """The next dated meeting `user` may see, and her answer to it."""
    member: Member | None = getattr(user, "member", None)
    dated = [m for m in _upcoming(user) if m.starts_at and m.status != Meeting.Status.CANCELLED]
    meeting = min(dated, key=lambda m: m.starts_at) if dated else None
    attendance = (
        Attendance.objects.filter(meeting=meeting, member=member).order_by().first() if meeting and member else None
    )
    return NextMeeting(meeting=meeting, my_attendance=attendance)


def home_for(user) -> Home:
    """Her other panels (an active member, or staff with a member profile).

    Her own panels are read now; what is the same for everyone (recent results, the lead, the
    steering group) is given as callables, called only when the page's shared fragment is built."""
    member: Member | None = getattr(user, "member", None)
    # A member without an institution (the secretariat's own record) hosts nothing: a meeting
    # without a host is nobody's.
    institution_id = member.institution_id if member else None
    hosted = [
        m
        for m in _upcoming(user)
        if institution_id is not None and m.host_id == institution_id and m.status != Meeting.Status.CANCELLED
    ]
    can_host = bool(hosted) and (is_staff_with_mfa(user) or is_host_contact(user, hosted[0]))

    participations = list(project_selectors.projects_of_member(member)) if member else []
    steering = rules.has_perm("meetings.view_steering_meetings", user)
    open_actions = list(open_actions_of(member, steering=steering)) if member else []
    owed = project_selectors.reports_owed_by(participations)

    staff = None
    if is_staff_with_mfa(user):
        staff = StaffCounts(
            applications=Member.objects.filter(status=Member.Status.APPLICANT).count(),
            meetings_without_date=Meeting.objects.filter(starts_at__isnull=True)
            .filter(Q(status=Meeting.Status.PROPOSED) | Q(status=Meeting.Status.CONFIRMED))
            .count(),
            overdue_reports=project_selectors.overdue_reports_count(),
        )
    return Home(
        hosted_meetings=hosted,
        participations=participations,
        reports_owed=owed,
        latest_outputs=lambda: project_selectors.outputs_catalogue().order_by("-created_at")[:LATEST_OUTPUTS],
        lead=network_selectors.current_lead,
        steering_group=network_selectors.current_steering_group,
        staff=staff,
        can_host=can_host,
        open_actions=open_actions,
    )
