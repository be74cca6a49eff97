"""Demo data of the meetings app (idempotent); called by `manage.py seed_demo` after the network's.

The meeting history since the first meeting (KTH, 8 March 2017): spring and autumn every year,
hosts chosen by the rotation planner among the institutions that were members then, past meetings
held with an agenda and published minutes, attendances by the demo members; then the rotation plan
for the next four years (the next meeting scheduled, the one after confirmed, the rest proposed).
"""

import datetime
import zoneinfo

from django.core.files.base import ContentFile
from django.utils import timezone, translation

import network.demo
from network.models import Institution, Member, SteeringGroupSeat

from . import rotation, selectors, services
from .minutes import demo as minutes_demo
from .models import (
    Action,
    AgendaItem,
    Attendance,
    DatePoll,
    DatePollAnswer,
    DatePollSlot,
    Decision,
    Meeting,
    MeetingDocument,
    Minutes,
)

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
FIRST_MEETING = datetime.date(2017, 3, 8)
THEMES = [
    "Samverkan som strategi",
    "Nyttiggörande av forskning",
    "Livslångt lärande",
    "Samverkan i utbildningen",
    "Regional utveckling",
    "Mäta och följa upp samverkan",
    "Hållbarhet och Agenda 2030",
    "Innovationsstöd och holdingbolag",
]


def _dates(slot: rotation.Slot) -> tuple[datetime.datetime, datetime.datetime]:
    year, half = slot
    if slot == (2017, 0):
        day = FIRST_MEETING
    elif half == 0:
        day = datetime.date(year, 3, 8 + year % 7)
    else:
        day = datetime.date(year, 10, 4 + year % 9)
    # Network meetings are held on weekdays: the first day that starts a meeting of this length
    # (two days in autumn) on Monday to Friday, every day of it.
    days = 2 if half else 1
    while (day + datetime.timedelta(days=days - 1)).weekday() >= 5 or day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    start = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=STOCKHOLM)
    # Autumn meetings last two days (dinner in between); spring meetings one day.
    end = (
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(15, 0), tzinfo=STOCKHOLM)
        if half
        else datetime.datetime.combine(day, datetime.time(16, 0), tzinfo=STOCKHOLM)
    )
    return start, end


def _past_slots(today: datetime.date) -> list[rotation.Slot]:
    slots, slot = [], (2017, 0)
    while _dates(slot)[1].date() < today:
        slots.append(slot)
        slot = rotation.next_slot(slot)
    return slots


def _season(slot: rotation.Slot) -> str:
    return selectors.SEASON_OF_INDEX[slot[1]]


def _details(meeting: Meeting, slot: rotation.Slot, theme: str) -> None:
    start, end = _dates(slot)
    host = meeting.host
    meeting.title = f"Nätverksmöte: {theme}"
    meeting.starts_at, meeting.ends_at = start, end
    meeting.venue = f"{host.display_short}, campus {host.city}"
    meeting.address = f"{host.name}\n{host.city}"
    meeting.registration_deadline = start - datetime.timedelta(days=14)
    meeting.capacity = 60
    meeting.practical_information = "Lunch och fika ingår. Anmäl specialkost vid anmälan."


def _agenda(meeting: Meeting, theme: str) -> None:
    if meeting.agenda_items.exists():
        return
    start = meeting.starts_at
    rows = [
        (0, 30, "Välkommen och presentationsrunda", meeting.host.display_short),
        (30, 120, theme, "Inbjudna talare"),
        (150, 60, "Lunch", ""),
        (210, 120, "Projektens lägesrapporter", "Projektledarna"),
        (330, 30, "Nästa möte och avslutning", "Ordförande"),
    ]
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=position,
            starts_at=start + datetime.timedelta(minutes=offset),
            ends_at=start + datetime.timedelta(minutes=offset + length),
            title=title,
            presenter=presenter,
        )
        for position, (offset, length, title, presenter) in enumerate(rows, start=1)
    )


def _minutes(meeting: Meeting) -> None:
    if (
        meeting.documents.filter(kind=MeetingDocument.Kind.MINUTES).exists()
        or Minutes.objects.filter(meeting=meeting).exists()
    ):
        return  # the latest meeting's minutes are written on the site (meetings/minutes/demo.py)
    text = (
        f"Protokoll från KLOSS-Nets nätverksmöte {meeting}\n"
        f"Värd: {meeting.host}\nPlats: {meeting.venue}\n\n"
        "1. Mötet öppnades.\n2. Projekten rapporterade.\n3. Nästa möte bekräftades.\n"
    ).encode()
    document = MeetingDocument(
        meeting=meeting,
        kind=MeetingDocument.Kind.MINUTES,
        title=f"Protokoll {meeting}",
        original_name=f"protokoll-{meeting.year}-{meeting.season}.txt",
        content_type="text/plain",
        size=len(text),
    )
    document.file.save(document.original_name, ContentFile(text), save=False)
    document.save()


def _attendances(meeting: Meeting, members: list[Member], index: int) -> None:
    for position, member in enumerate(members):
        if (
            member.institution
            and member.institution.joined_on
            and member.institution.joined_on > meeting.starts_at.date()
        ):
            continue
        attending = (index + position) % 4 != 0  # three out of four come
        Attendance.objects.get_or_create(
            meeting=meeting,
            member=member,
            defaults={
                "status": Attendance.Status.ATTENDING if attending else Attendance.Status.NOT_ATTENDING,
                "responded_at": meeting.registration_deadline - datetime.timedelta(days=3),
                "dietary_needs": "Vegetarisk" if attending and position % 3 == 0 else "",
            },
        )


def seed() -> None:
    today = timezone.localdate()
    institutions = list(Institution.objects.filter(joined_on__isnull=False))
    if not institutions:
        return
    kth = Institution.objects.filter(short_name="KTH").first()
    members = list(Member.objects.active().select_related("institution").order_by("pk")[:40])
    history: list[tuple[rotation.Slot, int]] = []
    for index, slot in enumerate(_past_slots(today)):
        meeting = Meeting.objects.network().filter(year=slot[0], season=_season(slot)).select_related("host").first()
        if meeting is None:
            start, _ = _dates(slot)
            candidates = [
                rotation.Candidate(i.pk, i.name, i.joined_on)
                for i in institutions
                if i.joined_on <= start.date() and (i.left_on is None or i.left_on > start.date())
            ]
            fixed = kth.pk if (slot == (2017, 0) and kth) else None
            proposal = rotation.plan(
                candidates=candidates, history=history, slots=[rotation.SlotToPlan(slot, confirmed_host=fixed)]
            )[0]
            meeting = Meeting(
                year=slot[0], season=_season(slot), host_id=proposal.host, rotation_reason=proposal.reason
            )
            meeting.host = Institution.objects.get(pk=proposal.host)
            _details(meeting, slot, THEMES[index % len(THEMES)])
            meeting.status = Meeting.Status.MINUTES_PUBLISHED
            meeting._change_reason = "demo data"
            meeting.save()
        if meeting.host_id:
            history.append((slot, meeting.host_id))
        if meeting.status in (Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED):
            _agenda(meeting, THEMES[index % len(THEMES)])
            _minutes(meeting)
            _attendances(meeting, members, index)

    # The plan for the next four years (eight slots after this half-year's).
    planned = services.rotation_plan(count=9, today=today)
    future = [row.meeting for row in planned if row.meeting is not None and row.meeting.starts_at is None]
    future = [m for m in future if m.status in (Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED)]
    if future and future[0].status == Meeting.Status.PROPOSED and future[0].host_id:
        # The next meeting: accepted and scheduled by its host, open for registration.
        meeting = services.meeting_accept_hosting(meeting=future[0], by=None)
        start, end = _dates(meeting.slot)
        services.meeting_schedule(
            meeting=meeting,
            by=None,
            starts_at=start,
            ends_at=end,
            venue=f"{meeting.host.display_short}, campus {meeting.host.city}",
            address=f"{meeting.host.name}\n{meeting.host.city}",
            registration_deadline=start - datetime.timedelta(days=14),
            capacity=60,
            practical_information="Lunch och fika ingår.",
            title=f"Nätverksmöte: {THEMES[0]}",
        )
    if len(future) > 1 and future[1].status == Meeting.Status.PROPOSED and future[1].host_id:
        services.meeting_accept_hosting(meeting=future[1], by=None)
    seed_host_contact(today)
    seed_date_poll(today)


HOST_CONTACT = ("sofia.lindqvist", "Sofia", "Lindqvist")


def _next_scheduled(today: datetime.date) -> Meeting | None:
    return (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__date__gte=today, host__isnull=False)
        .select_related("host")
        .order_by("starts_at")
        .first()
    )


def seed_host_contact(today: datetime.date) -> Member | None:
    """A documented login at the next meeting's host (who hosts follows the rotation, so the day)."""
    meeting = _next_scheduled(today)
    if meeting is None or not meeting.host.short_name:
        return None
    local, first, last = HOST_CONTACT
    try:
        email = network.demo.demo_email(local, meeting.host.short_name)
    except KeyError:  # not a reference institution
        return None
    return network.demo.demo_user(
        email,
        first,
        last,
        institution=meeting.host,
        title="Samverkansstrateg",
        role=Member.Role.COORDINATOR,
    )


def demo_logins(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The host contact's login, for `seed_demo --logins` (empty before the demo is loaded)."""
    meeting = _next_scheduled(today or timezone.localdate())
    if meeting is None:
        return []
    contact = (
        Member.objects.filter(institution=meeting.host, user__email__startswith=f"{HOST_CONTACT[0]}@")
        .select_related("user")
        .first()
    )
    if contact is None:
        return []
    with translation.override("en"):  # the other demo logins are described in English
        return [(contact.user.email, f"host contact ({meeting.host} hosts {meeting})")]


# --- Decisions and actions of past meetings (issue 17) ---------------------------------------------

DECISIONS = [
    (
        "Nätverket antar verksamhetsplanen för det kommande året.",
        "The network adopts its plan of activities for the coming year.",
    ),
    (
        "Styrgruppen får i uppdrag att ta fram ett inspel till forskningspropositionen.",
        "The steering group is to draft a contribution to the research bill.",
    ),
    (
        "Temat för nästa möte blir samverkan i utbildningen.",
        "The theme of the next meeting is collaboration in education.",
    ),
    (
        "Nätverket ställer sig bakom den gemensamma uppföljningsmodellen för samverkan.",
        "The network endorses the shared model for following up collaboration.",
    ),
    ("En arbetsgrupp för regional utveckling inrättas.", "A working group on regional development is set up."),
]
ACTIONS = [
    "Sammanställa medlemmarnas svar på enkäten om samverkansindikatorer",
    "Skicka ut förslaget till inspel på remiss till medlemmarna",
    "Bjuda in en företrädare för Vinnova till nästa möte",
    "Ta fram underlag om samverkansuppdraget i högskolelagen",
    "Utse en kontaktperson för arbetsgruppen",
]


def seed_decisions(*, per_meeting: int = 2, meetings: int = 6) -> None:
    """Attendance marked, decisions and actions on the last `meetings` meetings held (found in the database, whatever
    the demo's timeline), each action due by the meeting after it: the older ones done or dropped,
    those of the latest meeting open and on the next meeting's agenda. Idempotent: a meeting that
    has decisions is left alone."""
    now = timezone.now()
    past = list(
        Meeting.objects.filter(
            status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED], starts_at__lt=now
        ).order_by("-starts_at")[:meetings]
    )[::-1]
    if not past:
        return
    coming = (
        Meeting.objects.filter(starts_at__gt=now).exclude(status=Meeting.Status.CANCELLED).order_by("starts_at").first()
    )
    members = list(Member.objects.active().select_related("institution").order_by("pk"))
    if not members:
        return
    # The demo member of KTH owns some actions, so that her home page shows "your open actions".
    anna = next((m for m in members if m.user.email == "anna.lind@kth.example.org"), members[0])
    for index, meeting in enumerate(past):
        if not meeting.attendances.filter(attended__isnull=False).exists():
            # Who actually came: most of those registered; one in seven did not make it.
            for position, attendance in enumerate(meeting.attendances.order_by("pk")):
                registered = attendance.status == Attendance.Status.ATTENDING
                attendance.attended = registered and (index + position) % 7 != 3
                attendance.save(update_fields=["attended"])
        if meeting.decisions.exists():
            continue
        following = past[index + 1] if index + 1 < len(past) else coming
        latest = following is coming
        for position in range(per_meeting + 1):
            text_sv, text_en = DECISIONS[(index + position) % len(DECISIONS)]
            Decision.objects.create(meeting=meeting, position=position + 1, text_sv=text_sv, text_en=text_en)
        for position in range(per_meeting):
            owner = anna if position == 0 else members[(index * 7 + position) % len(members)]
            by_institution = position == 1 and owner.institution is not None
            action = Action(
                meeting=meeting,
                text=ACTIONS[(index + position) % len(ACTIONS)],
                owner_member=None if by_institution else owner,
                owner_institution=owner.institution if by_institution else None,
                due_meeting=following,
                due_on=None if following else (meeting.starts_at + datetime.timedelta(days=120)).date(),
            )
            if not latest:
                dropped = (index + position) % 5 == 4
                action.status = Action.Status.DROPPED if dropped else Action.Status.DONE
                action.outcome = "Ersatt av ett nytt uppdrag." if dropped else "Redovisat på mötet."
                action.closed_at = following.starts_at if following and following.starts_at else meeting.starts_at
            action.save()
    minutes_demo.seed(past)  # their minutes, written on the site (issue 27)


# --- A date poll for the next steering-group meeting (issue 27) --------------------------------------

STEERING_POLL_TITLE = "Styrgruppsmöte: verksamhetsplanen"


def _weekdays_from(day: datetime.date, count: int, step: int) -> list[datetime.date]:
    days = []
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
            day += datetime.timedelta(days=step)
        else:
            day += datetime.timedelta(days=1)
    return days


def seed_date_poll(today: datetime.date) -> DatePoll | None:
    """The steering group's next meeting awaits its date: an online meeting with an open poll of three
    afternoons 4-6 weeks ahead, proposed by the chair (Erik Johansson, LiU), answered by some seats
    (Anna Lind among them), so the chair sees the results and who has not answered. Rows written
    directly, as the other demo history: seeding sends no mail. Idempotent."""
    current = SteeringGroupSeat.objects.current(on=today)
    seats = list(Member.objects.active().filter(pk__in=current.values("member_id")).order_by("pk"))
    chair_ids = set(current.filter(role=SteeringGroupSeat.Role.CHAIR).values_list("member_id", flat=True))
    chair = next((m for m in seats if m.pk in chair_ids), None)
    if chair is None:
        return None
    first, *others = _weekdays_from(today + datetime.timedelta(days=28), 3, 6)
    meeting, _created = Meeting.objects.get_or_create(
        kind=Meeting.Kind.STEERING,
        title=STEERING_POLL_TITLE,
        defaults={
            "year": first.year,
            "season": Meeting.Season.SPRING if first.month <= 6 else Meeting.Season.AUTUMN,
            "status": Meeting.Status.CONFIRMED,
            "format": Meeting.Format.ONLINE,
            "video_link": "https://meet.kloss-net.example.org/styrgruppen",
            "practical_information": "Underlag skickas ut en vecka före mötet.",
        },
    )
    if meeting.status != Meeting.Status.CONFIRMED or meeting.date_polls.exists():
        return meeting.date_polls.first()
    poll = DatePoll.objects.create(
        meeting=meeting,
        answers_until=datetime.datetime.combine(today + datetime.timedelta(days=10), datetime.time(16), STOCKHOLM),
        note="Styrgruppen behöver ses före vårens nätverksmöte för att gå igenom verksamhetsplanen.",
        created_by=chair.user,
    )
    slots = DatePollSlot.objects.bulk_create(
        DatePollSlot(
            poll=poll,
            starts_at=datetime.datetime.combine(day, datetime.time(13), STOCKHOLM),
            ends_at=datetime.datetime.combine(day, datetime.time(15), STOCKHOLM),
        )
        for day in (first, *others)
    )
    # All but the last seat have answered (the chair too); the last is reminded before the deadline.
    patterns = [("yes", "if_need_be", "no"), ("yes", "yes", "if_need_be"), ("no", "yes", "yes")]
    now = timezone.now()
    DatePollAnswer.objects.bulk_create(
        DatePollAnswer(slot=slot, member=member, choice=choice, answered_at=now)
        for index, member in enumerate(seats[:-1])
        for slot, choice in zip(slots, patterns[index % len(patterns)], strict=True)
    )
    return poll


# --- Proposals decided between meetings (issue 27) --------------------------------------------------

NETWORK_PROPOSAL = (
    "Gemensamt inspel till forskningspropositionen",
    "Styrgruppen föreslår att nätverket lämnar ett gemensamt inspel till regeringens kommande "
    "forskningsproposition, med tre budskap: samverkan som en del av lärosätenas uppdrag, långsiktig "
    "finansiering av samverkansstöd och gemensam uppföljning av samverkan.\n\n"
    "Utkastet har skickats ut med kallelsen. Den som blockerar ombeds ange vad som måste ändras.",
)
STEERING_PROPOSAL = (
    "Tema för höstens nätverksmöte",
    "Ordföranden föreslår att höstens nätverksmöte får temat ”Samverkan i utbildningen”, med "
    "inbjudna talare från två lärosäten som har infört arbetsintegrerat lärande i alla program.",
)


def _steering_meeting(now: datetime.datetime) -> Meeting:
    """The steering group's next meeting, online, three weeks ahead (made once)."""
    coming = Meeting.objects.filter(kind=Meeting.Kind.STEERING, starts_at__gt=now).order_by("starts_at").first()
    if coming is not None:
        return coming
    day = timezone.localdate(now) + datetime.timedelta(days=21)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    start = datetime.datetime.combine(day, datetime.time(13, 0), tzinfo=STOCKHOLM)
    return Meeting.objects.create(
        kind=Meeting.Kind.STEERING,
        year=day.year,
        season=Meeting.Season.SPRING if day.month <= 6 else Meeting.Season.AUTUMN,
        host=None,
        status=Meeting.Status.SCHEDULED,
        title="Styrgruppsmöte",
        format=Meeting.Format.ONLINE,
        video_link="https://meet.example.org/kloss-styrgrupp",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )


def seed_proposals() -> None:
    """One open proposal to all member institutions (a few of them have voted, one comment) and one
    closed steering-group proposal with its decision in the register. Idempotent (by title)."""
    from .proposals import selectors as proposal_selectors
    from .proposals import services as proposal_services
    from .proposals.models import Proposal, ProposalComment, Vote

    now = timezone.now()
    seats = list(selectors.steering_members().select_related("user", "institution").order_by("pk"))
    network_meeting = proposal_selectors.report_meetings(Proposal.Audience.NETWORK, now=now).first()
    if not seats or network_meeting is None:
        return
    chair = Member.objects.filter(steering_seats__role="chair", pk__in=[s.pk for s in seats]).first() or seats[0]
    if not Proposal.objects.filter(title=NETWORK_PROPOSAL[0]).exists():
        title, text = NETWORK_PROPOSAL
        proposal = Proposal.objects.create(
            audience=Proposal.Audience.NETWORK,
            title=title,
            text=text,
            deadline=now + datetime.timedelta(days=9),
            meeting=network_meeting,
            proposed_by=chair.user,
        )
        # A few institutions have voted (not KTH: Anna Lind, a demo login, still has KTH's vote to cast).
        voters = {}
        for member in Member.objects.active().exclude(institution__short_name="KTH").order_by("pk"):
            voters.setdefault(member.institution_id, member)
        reasons = ["", "Bra att vi talar med en röst.", "", "Vill se skrivningen om finansiering först."]
        choices = ["agree", "agree", "abstain", "disagree"]
        for i, member in enumerate(list(voters.values())[:4]):
            Vote.objects.create(
                proposal=proposal,
                member=member,
                institution_id=member.institution_id,
                choice=choices[i],
                reason=reasons[i],
                cast_at=now - datetime.timedelta(days=3 - i % 3),
            )
        ProposalComment.objects.create(
            proposal=proposal,
            author=chair.user,
            text="Utkastet finns bland handlingarna till nästa möte. Synpunkter på formuleringarna tas gärna här.",
        )
    if not Proposal.objects.filter(title=STEERING_PROPOSAL[0]).exists():
        title, text = STEERING_PROPOSAL
        deadline = now - datetime.timedelta(days=4)
        proposal = Proposal.objects.create(
            audience=Proposal.Audience.STEERING,
            title=title,
            text=text,
            deadline=deadline,
            meeting=_steering_meeting(now),
            proposed_by=chair.user,
        )
        Proposal.objects.filter(pk=proposal.pk).update(created_at=deadline - datetime.timedelta(days=10))
        for i, member in enumerate(seats):
            Vote.objects.create(
                proposal=proposal,
                member=member,
                choice="abstain" if i == 2 else "agree",
                reason="Jävig: talar själv på mötet." if i == 2 else "",
                cast_at=deadline - datetime.timedelta(days=5 - i % 4),
            )
        proposal_services.proposal_close(
            proposal=proposal,
            by=None,
            statement="Temat meddelas medlemmarna i kallelsen till höstens möte.",
            now=deadline + datetime.timedelta(minutes=4),
        )
