"""Reads shared by views, the admin, the command and (later) the reminders."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from network import cache
from network.models import Institution, Member, SteeringGroupSeat

from . import rotation
from .models import Action, Attendance, Decision, HostDecline, Meeting

SEASON_OF_INDEX = {0: Meeting.Season.SPRING, 1: Meeting.Season.AUTUMN}
# Meetings whose host counts as having hosted (or going to host) in the rotation.
HOSTING_STATUSES = [
    Meeting.Status.CONFIRMED,
    Meeting.Status.SCHEDULED,
    Meeting.Status.HELD,
    Meeting.Status.MINUTES_PUBLISHED,
]


def current_slot(today: datetime.date | None = None) -> rotation.Slot:
    """The slot of today's half-year: spring is January-June, autumn July-December."""
    today = today or timezone.localdate()
    return (today.year, 0 if today.month <= 6 else 1)


HELD_STATUSES = [Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED]


def first_unplanned_slot(today: datetime.date | None = None) -> rotation.Slot:
    """Where planning starts: this half-year's slot, or the next one when its meeting has already been
    held (a held meeting is history, not a slot to plan). One query."""
    today = today or timezone.localdate()
    slot = current_slot(today)
    held = Meeting.objects.filter(year__gte=slot[0]).filter(
        Q(status__in=HELD_STATUSES) | Q(ends_at__date__lt=today) | Q(starts_at__date__lt=today)
    )
    held_slots = {m.slot for m in held.only("year", "season")}
    while slot in held_slots:
        slot = rotation.next_slot(slot)
    return slot


def slot_of(meeting: Meeting) -> rotation.Slot:
    return meeting.slot


def slots_from(first: rotation.Slot, count: int) -> list[rotation.Slot]:
    slots = [first]
    while len(slots) < count:
        slots.append(rotation.next_slot(slots[-1]))
    return slots[:count]


def steering_member_ids() -> frozenset[int]:
    """The members with a current seat on the steering group: a permission input, read once per
    request and never kept across requests (a seat that ends is refused at once)."""
    return cache.per_request(
        "steering_member_ids",
        lambda: frozenset(SteeringGroupSeat.objects.current().values_list("member_id", flat=True)),
    )


def steering_members() -> QuerySet[Member]:
    """Who is invited to a steering-group meeting: the active members on the steering group."""
    return Member.objects.active().filter(pk__in=SteeringGroupSeat.objects.current().values("member_id"))


def host_contacts(meeting: Meeting) -> QuerySet[Member]:
    """Who may schedule the meeting: approved, active members of the host institution."""
    if meeting.host_id is None:
        return Member.objects.none()
    return Member.objects.active().filter(institution_id=meeting.host_id).select_related("user")


def _with_counts(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """With `attending_count`, a subquery per meeting shown: a page of 25 past meetings counts 25
    meetings' answers, not every answer ever given (a GROUP BY over all attendances took 16 ms at
    K=10, 30,000 attendances; bench/explain.py)."""
    attending = (
        Attendance.objects.filter(meeting=OuterRef("pk"), status=Attendance.Status.ATTENDING)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related("host").annotate(
        attending_count=Coalesce(Subquery(attending, output_field=IntegerField()), 0)
    )


def _visible(queryset: QuerySet[Meeting], steering: bool) -> QuerySet[Meeting]:
    return queryset if steering else queryset.open_to_all_members()


def meetings_upcoming(now: datetime.datetime | None = None, *, steering: bool = False) -> QuerySet[Meeting]:
    """Meetings not yet over (with a date) and slots from this half-year on still being planned
    (steering-group meetings only for who may see them: `steering`)."""
    now = now or timezone.now()
    year, half = current_slot(timezone.localdate(now))
    this_or_later = Q(year__gt=year) | Q(year=year, season__in=["autumn"] if half else ["spring", "autumn"])
    queryset = Meeting.objects.filter(Q(ends_at__gte=now) | (Q(ends_at__isnull=True) & this_or_later)).exclude(
        status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED]
    )
    # NULLS LAST spelled out: PostgreSQL and SQLite put a slot's undated meeting at opposite ends.
    return _with_counts(_visible(queryset, steering)).order_by(
        "year", "-season", F("starts_at").asc(nulls_last=True), "pk"
    )


def meetings_past(now: datetime.datetime | None = None, *, steering: bool = False) -> QuerySet[Meeting]:
    now = now or timezone.now()
    upcoming = meetings_upcoming(now, steering=True).values("pk")
    past = _visible(Meeting.objects.exclude(pk__in=upcoming), steering)
    return _with_counts(past).order_by("-year", "season", F("starts_at").desc(nulls_last=True), "-pk")


def _people(meeting: Meeting) -> QuerySet[Attendance]:
    """A meeting's answers with who answered; whom a stand-in replaces (rare) in a second query only
    when there is one: joining the member and user tables twice made PostgreSQL hash the whole
    member table for the second join, on every rebuild of a meeting's list of people after an RSVP."""
    return meeting.attendances.select_related("member__user", "member__institution").prefetch_related(
        Prefetch("stand_in_for", queryset=Member.objects.select_related("user"))
    )


@dataclass(frozen=True)
class WhoIsComing:
    attending: list[Attendance]  # by institution and name
    waiting: int  # how many are on the waiting list


def who_is_coming(meeting: Meeting) -> WhoIsComing:
    """The meeting page's people: who is coming and how many wait for a place, in one query (the
    waiting rows are few, and counting them apart cost the page's rebuild a query of its own)."""
    rows = list(
        _people(meeting)
        .filter(status__in=[Attendance.Status.ATTENDING, Attendance.Status.WAITING])
        .order_by("member__institution__name", "member__user__last_name", "pk")
    )
    return WhoIsComing(
        attending=[row for row in rows if row.status == Attendance.Status.ATTENDING],
        waiting=sum(row.status == Attendance.Status.WAITING for row in rows),
    )


def participants(meeting: Meeting) -> QuerySet[Attendance]:
    """Everybody who answered, for the host's participant list and its CSV export."""
    return _people(meeting).order_by(
        "status", "member__institution__name", "member__user__last_name", "waitlisted_at", "pk"
    )


def meetings_hosted_by(institution: Institution) -> QuerySet[Meeting]:
    """The meetings `institution` hosts or hosted that every member may see (its page)."""
    return institution.hosted_meetings.open_to_all_members()


def hosting_history(institution: Institution) -> QuerySet[Meeting]:
    return institution.hosted_meetings.exclude(status=Meeting.Status.CANCELLED).order_by("-year", "season")


# The calendar feed holds the meetings of the last FEED_YEARS years and every one to come: its size
# does not grow with the network's history (older meetings keep their own .ics on their page).
FEED_YEARS = 2
# What the feed's events read (meetings/ics.py): no agenda, minutes or planner's reasons.
FEED_FIELDS = [
    "kind",
    "year",
    "season",
    "title",
    "status",
    "format",
    "starts_at",
    "ends_at",
    "updated_at",
    "venue",
    "address",
    "video_link",
    "practical_information",
    "sequence",
    "host__name",
]


def calendar_window_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """The first moment the feed covers: the same day FEED_YEARS years ago, at midnight in Stockholm
    (the 28th for a 29 February)."""
    today = timezone.localdate(now)
    try:
        day = today.replace(year=today.year - FEED_YEARS)
    except ValueError:
        day = today.replace(year=today.year - FEED_YEARS, day=28)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def calendar_meetings(*, steering: bool = False, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """The feed's meetings: those with a date ending in the last FEED_YEARS years or later,
    steering-group meetings only for who may see them. One query, of a bounded number of rows."""
    return (
        _visible(Meeting.objects.visible_in_calendar(), steering)
        .filter(ends_at__gte=calendar_window_start(now))
        .select_related("host")
        .only(*FEED_FIELDS)
        .order_by("starts_at")
    )


# --- The rotation plan --------------------------------------------------------------------------


@dataclass
class PlannedSlot:
    slot: rotation.Slot
    meeting: Meeting | None
    proposal: rotation.Proposal
    host: Institution | None
    written: bool = False  # set by services.rotation_plan when it saved this slot

    @property
    def year(self) -> int:
        return self.slot[0]

    @property
    def season(self) -> str:
        return SEASON_OF_INDEX[self.slot[1]]

    @property
    def season_label(self) -> str:
        return Meeting.Season(self.season).label

    @property
    def changes(self) -> bool:
        """Would applying the plan change this slot?"""
        current = self.meeting.host_id if self.meeting else None
        return not self.proposal.confirmed and (self.meeting is None or current != self.proposal.host)

    @property
    def explanation(self) -> str:
        return rotation.explain(self.proposal.reason, gettext, ngettext)


def rotation_preview(
    *, count: int, first: rotation.Slot | None = None, today: datetime.date | None = None
) -> list[PlannedSlot]:
    """What the planner proposes for `count` slots from `first` (this half-year by default).

    Meetings beyond "proposed" keep their host (confirmed is never moved); cancelled slots are skipped.
    """
    today = today or timezone.localdate()
    first = first or first_unplanned_slot(today)
    window = slots_from(first, count)
    last = window[-1]
    in_window = Q(year__gt=first[0]) | Q(year=first[0], season__in=["autumn"] if first[1] else ["spring", "autumn"])
    not_after = Q(year__lt=last[0]) | Q(year=last[0], season__in=["spring"] if last[1] == 0 else ["spring", "autumn"])
    meetings = {m.slot: m for m in Meeting.objects.network().filter(in_window & not_after)}
    declines: dict[int, set[int]] = {}
    for meeting_id, institution_id in HostDecline.objects.filter(meeting__in=meetings.values()).values_list(
        "meeting_id", "institution_id"
    ):
        declines.setdefault(meeting_id, set()).add(institution_id)
    history = [
        (m.slot, m.host_id)
        for m in Meeting.objects.network().filter(status__in=HOSTING_STATUSES, host__isnull=False).exclude(in_window)
    ]
    to_plan = []
    for slot in window:
        meeting = meetings.get(slot)
        if meeting is None:
            to_plan.append(rotation.SlotToPlan(slot))
            continue
        to_plan.append(
            rotation.SlotToPlan(
                slot,
                confirmed_host=meeting.host_id if meeting.status in HOSTING_STATUSES else None,
                declined=frozenset(declines.get(meeting.pk, ())),
                skip=meeting.status == Meeting.Status.CANCELLED,
            )
        )
    candidates = [rotation.Candidate(i.pk, i.name, i.joined_on) for i in Institution.objects.current_members(on=today)]
    proposals = rotation.plan(candidates=candidates, history=history, slots=to_plan)
    host_ids = {p.host for p in proposals if p.host}
    hosts = Institution.objects.in_bulk(host_ids)
    return [PlannedSlot(p.slot, meetings.get(p.slot), p, hosts.get(p.host)) for p in proposals]


def rotation_plan_page(today: datetime.date | None = None) -> QuerySet[Meeting]:
    """The plan for the coming years: every slot from the next unplanned one on (not a meeting held)."""
    year, half = first_unplanned_slot(today)
    return (
        Meeting.objects.network()
        .filter(Q(year__gt=year) | Q(year=year, season__in=["autumn"] if half else ["spring", "autumn"]))
        .select_related("host")
        .order_by("year", "-season")
    )


# --- Decisions and actions ----------------------------------------------------------------------


def _actions() -> QuerySet[Action]:
    """Actions with what their lists show: the meetings and the owning institution joined, the owning
    member (her name, her institution) in a second query. One query joining all seven tables cost
    PostgreSQL's planner 3 ms of weighing outer joins before it read a row (at K=10, for twelve
    actions), on every meeting page a host opens; the two queries together take under a third."""
    return Action.objects.select_related("meeting", "due_meeting", "owner_institution").prefetch_related(
        Prefetch("owner_member", queryset=Member.objects.select_related("user", "institution"))
    )


def decisions_of(meeting: Meeting) -> QuerySet[Decision]:
    return meeting.decisions.select_related("theme").order_by("position", "pk")


def actions_of(meeting: Meeting) -> QuerySet[Action]:
    """The actions agreed at `meeting`."""
    return _actions().filter(meeting=meeting).order_by("pk")


def action_register(*, steering: bool = False) -> QuerySet[Action]:
    """Every action across meetings, newest meeting first (the register, its export); those of
    steering-group meetings only for who may see them (`steering`)."""
    actions = _actions().select_related("theme")  # the register has a column for it
    if not steering:
        actions = actions.exclude(meeting__kind=Meeting.Kind.STEERING)
    return actions.order_by("-meeting__year", "meeting__season", "-pk")


def decision_register(*, steering: bool = False) -> QuerySet[Decision]:
    decisions = Decision.objects.select_related("meeting", "theme")
    if not steering:
        decisions = decisions.exclude(meeting__kind=Meeting.Kind.STEERING)
    return decisions.order_by("-meeting__year", "meeting__season", "position", "pk")


def open_actions_of(member: Member, *, steering: bool = False) -> QuerySet[Action]:
    """Hers and her institution's open actions, soonest due first (her home page); those agreed at
    steering-group meetings only for who may see them (`steering`). Only what the home page shows is
    joined (when it is due, which institution owns it): planning the register's seven-table join took
    PostgreSQL longer than running it, on every rebuild of her home page."""
    actions = Action.objects.select_related("due_meeting", "owner_institution").open().owned_by(member)
    if not steering:
        actions = actions.exclude(meeting__kind=Meeting.Kind.STEERING)
    return actions.order_by(F("due_on").asc(nulls_last=True), "due_meeting__year", "-due_meeting__season", "pk")


def _follow_up_condition(meeting: Meeting) -> Q:
    """Open actions agreed before `meeting` and due by it: by this meeting, by an earlier one, or by
    a date up to its first day."""
    due = Q(due_meeting=meeting)
    earlier = Q(due_meeting__year__lt=meeting.year)
    if meeting.season == Meeting.Season.AUTUMN:
        earlier |= Q(due_meeting__year=meeting.year, due_meeting__season=Meeting.Season.SPRING)
    due |= earlier
    if meeting.starts_at is not None:
        due |= Q(due_meeting__isnull=True, due_on__lte=timezone.localdate(meeting.starts_at))
    # A steering-group meeting follows up its own actions; the others never show them.
    if meeting.kind == Meeting.Kind.STEERING:
        agreed = Q(meeting__kind=Meeting.Kind.STEERING)
    else:
        agreed = ~Q(meeting__kind=Meeting.Kind.STEERING)
    return Q(status=Action.Status.OPEN) & due & agreed & ~Q(meeting=meeting)


def actions_to_follow_up(meeting: Meeting) -> QuerySet[Action]:
    """The agenda item "follow-up of actions" of a coming meeting: the open actions due by it.
    Empty once the meeting is over (what was followed up is in its minutes)."""
    if meeting.status not in (Meeting.Status.CONFIRMED, Meeting.Status.SCHEDULED):
        return Action.objects.none()
    return _actions().filter(_follow_up_condition(meeting)).order_by("due_on", "meeting__year", "pk")


# --- Who actually came: the register of participation per institution ----------------------------


@dataclass
class ParticipationRow:
    institution: Institution
    present: list[bool]  # per meeting of the register, in its order

    @property
    def count(self) -> int:
        return sum(self.present)


@dataclass
class ParticipationRegister:
    meetings: list[Meeting]
    marked: list[bool]  # per meeting: attendance marked after it (else: who registered as attending)
    rows: list[ParticipationRow]

    @property
    def columns(self) -> list[tuple[Meeting, bool]]:
        return list(zip(self.meetings, self.marked, strict=True))

    @property
    def at_the_table(self) -> list[int]:
        """Per meeting: how many institutions were there."""
        return [sum(row.present[i] for row in self.rows) for i in range(len(self.meetings))]


def _last_network_meetings(last: int) -> tuple[list[Meeting], set[int], Q]:
    """The last `last` network meetings held (oldest first), those whose attendance was marked after
    the meeting, and the condition on Attendance rows of "was there": marked present where attendance
    was marked, else registered as attending. Two queries."""
    meetings = list(
        Meeting.objects.network()
        .filter(status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED], starts_at__isnull=False)
        .order_by("-starts_at")[:last]
    )[::-1]
    ids = [m.pk for m in meetings]
    marked_ids = set(
        Attendance.objects.filter(meeting_id__in=ids, attended__isnull=False)
        .order_by()
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    there = Q(meeting_id__in=ids) & (
        Q(meeting_id__in=marked_ids, attended=True)
        | (~Q(meeting_id__in=marked_ids) & Q(status=Attendance.Status.ATTENDING))
    )
    return meetings, marked_ids, there


def participation_register(*, last: int = 6) -> ParticipationRegister:
    """Was every institution at the table? The current member institutions x the last `last`
    meetings held: present when one of its members came (as marked after the meeting; where nobody
    marked attendance, registered as attending). Four queries, whatever the number of answers."""
    meetings, marked_ids, there_q = _last_network_meetings(last)
    there = set(
        Attendance.objects.filter(there_q).order_by().values_list("meeting_id", "member__institution_id").distinct()
    )
    institutions = Institution.objects.current_members().order_by("name")
    return ParticipationRegister(
        meetings=meetings,
        marked=[m.pk in marked_ids for m in meetings],
        rows=[ParticipationRow(i, [(m.pk, i.pk) in there for m in meetings]) for i in institutions],
    )


@dataclass
class ParticipationSummary:
    meetings: int  # how many meetings the summary counts (at most `last`)
    institutions: int  # current member institutions
    at_all: int  # of them, at every one of the meetings
    missed_most: list[Institution]  # at most `shown`, fewest meetings first, each with `attended`

    @property
    def more(self) -> int:
        """Institutions that missed a meeting but are not listed."""
        return self.institutions - self.at_all - len(self.missed_most)


def participation_summary(*, last: int = 6, shown: int = 10) -> ParticipationSummary:
    """The register in a few lines, for the dashboard: how many member institutions were at all of
    the last `last` network meetings, and the `shown` that missed the most (with how many they came
    to, as `attended`). Counted in the database: the meetings attended per institution (one grouped
    scan of the answers to those meetings), joined with the current member institutions, totalled
    by window functions and cut to `shown` rows. Three queries whatever the number of institutions.
    SQL that PostgreSQL and SQLite 3.40 both run: no FILTER on a window, no column list on an alias
    (the grouped subquery names its columns itself: institution, n)."""
    meetings, _marked, there = _last_network_meetings(last)
    if not meetings:
        return ParticipationSummary(meetings=0, institutions=0, at_all=0, missed_most=[])
    attended_sql, attended_params = (
        Attendance.objects.filter(there)
        .order_by()
        .values(institution=F("member__institution_id"))
        .annotate(n=Count("meeting_id", distinct=True))
        .query.sql_with_params()
    )
    members_sql, members_params = Institution.objects.current_members().order_by().values("pk").query.sql_with_params()
    table = Institution._meta.db_table
    rows = list(
        Institution.objects.raw(
            f"SELECT i.id, i.name, i.short_name, COALESCE(a.n, 0) AS attended, COUNT(*) OVER () AS total, "
            f"SUM(CASE WHEN COALESCE(a.n, 0) >= %s THEN 1 ELSE 0 END) OVER () AS at_all "
            f"FROM {table} i LEFT JOIN ({attended_sql}) AS a ON a.institution = i.id "
            f"WHERE i.id IN ({members_sql}) ORDER BY attended, i.name LIMIT %s",
            [len(meetings), *attended_params, *members_params, shown],
        )
    )
    return ParticipationSummary(
        meetings=len(meetings),
        institutions=rows[0].total if rows else 0,
        at_all=rows[0].at_all if rows else 0,
        missed_most=[i for i in rows if i.attended < len(meetings)],
    )
