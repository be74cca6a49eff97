"""The demo data grown to K times the network, for the load benchmark (bench/run.py runs it after
`seed_demo`):

    DEBUG=true .venv/bin/python manage.py seed_demo && DEBUG=true .venv/bin/python bench/scale.py 10

It refuses with DEBUG off unless given --force (its users have the demo's public password).

One unit of scale (K = 1) is the network as it will look after some years: 35 institutions, 300
members, 40 meetings with 3,000 attendances, 200 projects with 800 participants, 2,000 outputs and
1,000 reports in 10 reporting rounds. K = 10 is ten such networks' worth of data on one site.

The generator tops up: each table is filled from what is there up to K times its unit, so running it
twice changes nothing and a larger K adds only the difference. Rows are made in memory and written with
`bulk_create` (one INSERT per batch; no `save()`, no history rows, no audit events: this is synthetic
data, not actions of people). Names are deterministic (a seeded random generator), so two runs on
empty databases give the same data.

Besides, the load benchmark's own people (`bench_people`, made with `save()` and kept up to date on
every run): 20 members at 10 institutions, bench.member.01@... to bench.member.20@..., with the
demo's password; an upcoming meeting with registration open (an "other gathering", so it takes no
rotation slot; moved forward when its registration closes) and each member's invitation to it (an
outbox row, sent); an open reporting round; and for each member a project of her own, active, that
she coordinates, so she can save her draft report in the round. `bench/run.py` logs them in, one
session each, and gives them the mixed load's writes.
"""

import argparse
import datetime
import itertools
import math
import os
import random
import sys
import time
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kloss_site.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from meetings.models import AgendaItem, Attendance, Meeting, Theme  # noqa: E402
from network.demo import FIRST_NAMES, LAST_NAMES, TITLES, demo_password_hash, demo_user  # noqa: E402
from network.models import Institution, InstitutionDomain, Member  # noqa: E402
from network.outbox.models import Delivery  # noqa: E402
from network.outbox.worker import object_key_of  # noqa: E402
from projects.models import (  # noqa: E402
    ExternalPartner,
    Output,
    Participation,
    Project,
    ProjectLink,
    Report,
    ReportingRound,
)

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
BATCH = 2000

# One unit of scale: the rows per table at K = 1.
UNIT = {
    "institutions": 35,
    "members": 300,
    "meetings": 40,
    "attendances": 3000,
    "themes": 18,
    "projects": 200,
    "participations": 800,
    "rounds": 10,
    "reports": 1000,
    "outputs": 2000,
}

CITIES = ["Stockholm", "Göteborg", "Malmö", "Uppsala", "Umeå", "Luleå", "Örebro", "Växjö", "Karlstad", "Gävle"]
WORDS = [
    "regional",
    "hållbar",
    "digital",
    "öppen",
    "gemensam",
    "lokal",
    "strategisk",
    "innovativ",
    "kunskapsbaserad",
    "livslång",
]
NOUNS = [
    "samverkan",
    "kompetensförsörjning",
    "innovation",
    "utbildning",
    "forskning",
    "omställning",
    "tillväxt",
    "välfärd",
    "energi",
    "hälsa",
]
PARTNERS = ["Region", "Kommun", "Myndighet", "Stiftelse", "AB", "Förening"]


@dataclass
class Summary:
    created: dict[str, int]

    def lines(self) -> list[str]:
        return [f"{name:<15} +{count}" for name, count in self.created.items()]


def targets(scale: float) -> dict[str, int]:
    return {name: max(1, math.ceil(unit * scale)) for name, unit in UNIT.items()}


def _bulk(model, rows) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=STOCKHOLM)


def seed_scale(scale: float, *, seed: int = 2026) -> Summary:
    """Top every table up to `scale` times its unit. Run inside a transaction, after the demo seed."""
    rng = random.Random(seed)
    want = targets(scale)
    created: dict[str, int] = {}
    institutions = _institutions(want["institutions"], created)
    members = _members(want["members"], institutions, rng, created)
    meetings = _meetings(want["meetings"], institutions, created)
    _attendances(want["attendances"], meetings, members, rng, created)
    themes = _themes(want["themes"], created)
    projects = _projects(want["projects"], themes, institutions, rng, created)
    _participations(want["participations"], projects, members, rng, created)
    _reports(want["rounds"], want["reports"], projects, meetings, members, rng, created)
    _outputs(want["outputs"], projects, rng, created)
    _bench_people(created)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh planner statistics for the bulk-loaded tables
            cursor.execute("ANALYZE")
    # Bulk inserts send no signals and bypass the services that clear what they change: nothing
    # cached can be trusted now. Cleared whole, so this does not depend on how the cache is keyed.
    cache.clear()
    return Summary(created)


# --- The load benchmark's own people (bench/run.py's mixed load) --------------------------------

BENCH_MEMBERS = 20
BENCH_INSTITUTIONS = 10
BENCH_EMAIL = "bench.member.{number:02d}@{domain}"
BENCH_MEETING_TITLE = "Programkonferens (lasttest)"
BENCH_ROUND_TITLE = "Rapportering (lasttest)"
BENCH_PROJECT_TITLE = "Lasttestprojekt {number:02d}"
_WEEK = datetime.timedelta(days=7)


def _bench_meeting(host: Institution) -> Meeting:
    """An upcoming meeting open for registration: made once, moved 60 days ahead when its registration
    closes within a week (a data set is reused for months)."""
    now = timezone.now()
    meeting = Meeting.objects.filter(kind=Meeting.Kind.OTHER, title=BENCH_MEETING_TITLE).first()
    if meeting and meeting.status == Meeting.Status.SCHEDULED and meeting.registration_deadline > now + _WEEK:
        return meeting
    day = timezone.localdate() + datetime.timedelta(days=60)
    fields = {
        "year": day.year,
        "season": Meeting.Season.SPRING if day.month <= 6 else Meeting.Season.AUTUMN,
        "host": host,
        "status": Meeting.Status.SCHEDULED,
        "starts_at": _aware(day, 9, 30),
        "ends_at": _aware(day, 16),
        "registration_deadline": _aware(day - datetime.timedelta(days=14), 23, 59),
        "capacity": None,
        "venue": f"{host.display_short}, campus {host.city}",
        "address": f"{host.name}\n{host.city}",
        "practical_information": "Lunch och fika ingår.",
    }
    if meeting is None:
        return Meeting.objects.create(kind=Meeting.Kind.OTHER, title=BENCH_MEETING_TITLE, **fields)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    return meeting


def _bench_round() -> ReportingRound:
    """A reporting round open now (the demo's, if one is open for another week; else the bench's own)."""
    today = timezone.localdate()
    open_round = (
        ReportingRound.objects.filter(deadline__gte=today + _WEEK, opened_at__lte=timezone.now())
        .order_by("deadline", "pk")
        .first()
    )
    if open_round:
        return open_round
    round_, _ = ReportingRound.objects.update_or_create(
        title=BENCH_ROUND_TITLE, defaults={"deadline": today + datetime.timedelta(days=30), "opened_at": timezone.now()}
    )
    return round_


def _bench_people(created: dict) -> None:
    institutions = list(Institution.objects.current_members().order_by("pk")[:BENCH_INSTITUTIONS])
    theme = Theme.objects.accepted().order_by("pk").first()
    meeting = _bench_meeting(institutions[0])
    _bench_round()
    meeting_type = ContentType.objects.get_for_model(Meeting)
    today = timezone.localdate()
    before = Member.objects.count()
    for i in range(BENCH_MEMBERS):
        institution = institutions[i % len(institutions)]
        domain = institution.domains.order_by("pk").values_list("domain", flat=True).first() or "bench.example.org"
        title, role = TITLES[i % len(TITLES)]
        member = demo_user(
            BENCH_EMAIL.format(number=i + 1, domain=domain),
            FIRST_NAMES[(i * 7) % len(FIRST_NAMES)],
            LAST_NAMES[(i * 11) % len(LAST_NAMES)],
            institution=institution,
            title=title,
            role=role,
        )
        Delivery.objects.get_or_create(
            kind="meeting_invitation",
            object_key=object_key_of(meeting),
            recipient=member,
            defaults={
                "content_type": meeting_type,
                "object_id": meeting.pk,
                "due_at": timezone.now(),
                "status": Delivery.Status.SENT,
                "sent_at": timezone.now(),
            },
        )
        project, new = Project.objects.get_or_create(
            title=BENCH_PROJECT_TITLE.format(number=i + 1),
            defaults={
                "theme": theme,
                "summary": "Ett projekt för lasttestet: medlemmen skriver sin rapport här.",
                "lead_institution": institution,
                "starts_on": today - datetime.timedelta(days=365),
                "ends_on": today + datetime.timedelta(days=730),
                "status": Project.Status.ACTIVE,
            },
        )
        if new:
            project.institutions.add(institution)
        Participation.objects.get_or_create(project=project, member=member, defaults={"is_coordinator": True})
    created["bench people"] = Member.objects.count() - before


def bench_people() -> dict:
    """What bench/run.py needs to log the bench members in and to write as them (after `seed_scale`)."""
    meeting = Meeting.objects.get(kind=Meeting.Kind.OTHER, title=BENCH_MEETING_TITLE)
    round_ = _bench_round()
    people = []
    for i in range(BENCH_MEMBERS):
        member = (
            Member.objects.select_related("user", "institution")
            .filter(user__email__startswith=BENCH_EMAIL.format(number=i + 1, domain=""))
            .get()
        )
        project = Project.objects.get(title=BENCH_PROJECT_TITLE.format(number=i + 1))
        people.append(
            {
                "email": member.user.email,
                "member": member.pk,
                "institution": member.institution.slug,
                "token": member.calendar_token,
                "project": project.pk,
                "title": member.title,
            }
        )
    return {"meeting": meeting.pk, "round": round_.pk, "people": people}


def _institutions(target: int, created: dict) -> list[Institution]:
    existing = Institution.objects.count()
    new = []
    for i in range(existing, target):
        number = f"{i + 1:04d}"
        new.append(
            Institution(
                name=f"Skalhögskolan {number}",
                name_en=f"Scale University College {number}",
                short_name=f"SK{number}",
                slug=f"sk{number}",
                kind=[Institution.Kind.UNIVERSITY, Institution.Kind.UNIVERSITY_COLLEGE][i % 2],
                city=CITIES[i % len(CITIES)],
                website=f"https://www.sk{number}.example.se/",
                joined_on=datetime.date(2017, 1, 1) + datetime.timedelta(days=i % 2000),
            )
        )
    new = _bulk(Institution, new)
    _bulk(InstitutionDomain, [InstitutionDomain(institution=inst, domain=f"{inst.slug}.example.org") for inst in new])
    created["institutions"] = len(new)
    return list(Institution.objects.current_members())


def _members(target: int, institutions: list[Institution], rng: random.Random, created: dict) -> list[Member]:
    from allauth.account.models import EmailAddress  # allauth's table: the address counts as verified

    User = get_user_model()
    existing = Member.objects.count()
    password = demo_password_hash()  # one hash for all: hashing thousands would take minutes
    now = timezone.now()
    users, members = [], []
    for i in range(existing, target):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        institution = institutions[i % len(institutions)]
        domain = f"{institution.slug}.example.org"
        title, role = TITLES[i % len(TITLES)]
        user = User(
            email=f"{slugify(first)}.{slugify(last)}.{i:05d}@{domain}",
            first_name=first,
            last_name=last,
            password=password,
            date_joined=now,
        )
        users.append(user)
        status = Member.Status.APPLICANT if i % 40 == 0 else Member.Status.APPROVED
        members.append(
            Member(
                user=user,
                institution=institution,
                title=title,
                role=role,
                phone=f"+46 70 {i % 1000:03d} {i % 100:02d} {(i * 7) % 100:02d}",
                status=status,
                language="en" if i % 5 == 0 else "sv",
                privacy_version="2026-11",
                privacy_accepted_at=now,
                decided_at=now if status == Member.Status.APPROVED else None,
            )
        )
    _bulk(User, users)
    for member in members:
        member.user_id = member.user.pk
    _bulk(Member, members)
    _bulk(EmailAddress, [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
    created["members"] = len(members)
    return list(Member.objects.filter(status=Member.Status.APPROVED).order_by("pk"))


def _meetings(target: int, institutions: list[Institution], created: dict) -> list[Meeting]:
    """Older meetings before the demo's history (two a year, back in time), held, with an agenda."""
    existing = Meeting.objects.count()
    first_year = Meeting.objects.order_by("year").values_list("year", flat=True).first() or 2017
    new, items = [], []
    slots = ((year, season) for year in itertools.count(first_year - 1, -1) for season in ("autumn", "spring"))
    for i, (year, season) in zip(range(existing, target), slots, strict=False):
        host = institutions[i % len(institutions)]
        day = datetime.date(year, 3 if season == "spring" else 10, 10 + i % 15)
        start = _aware(day, 9, 30)
        meeting = Meeting(
            year=year,
            season=season,
            host=host,
            status=Meeting.Status.MINUTES_PUBLISHED,
            title=f"Nätverksmöte: {rng_title(i)}",
            starts_at=start,
            ends_at=_aware(day, 16),
            venue=f"{host.display_short}, campus {host.city}",
            address=f"{host.name}\n{host.city}",
            registration_deadline=start - datetime.timedelta(days=14),
            capacity=150,
            practical_information="Lunch och fika ingår.",
        )
        new.append(meeting)
        for position, (hour, title) in enumerate([(10, "Välkommen"), (11, "Projekten rapporterar"), (14, "Tema")]):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    starts_at=_aware(day, hour),
                    ends_at=_aware(day, hour + 1),
                    title=title,
                    presenter=host.display_short,
                )
            )
    _bulk(Meeting, new)
    for item in items:
        item.meeting_id = item.meeting.pk
    _bulk(AgendaItem, items)
    created["meetings"] = len(new)
    return list(Meeting.objects.filter(starts_at__lt=timezone.now()).order_by("pk"))


def rng_title(i: int) -> str:
    return f"{WORDS[i % len(WORDS)]} {NOUNS[(i // len(WORDS)) % len(NOUNS)]}".capitalize()


def _attendances(target: int, meetings: list[Meeting], members: list[Member], rng, created: dict) -> None:
    """Spread the missing answers over the past meetings; never twice the same member at a meeting."""
    need = target - Attendance.objects.count()
    if need <= 0 or not meetings or not members:
        created["attendances"] = 0
        return
    taken = set(Attendance.objects.values_list("meeting_id", "member_id"))
    per_meeting = min(len(members), math.ceil(need / len(meetings)))
    rows = []
    for meeting in meetings:
        for member in rng.sample(members, per_meeting):
            if len(rows) >= need:
                break
            if (meeting.pk, member.pk) in taken:
                continue
            attending = rng.random() < 0.8
            rows.append(
                Attendance(
                    meeting=meeting,
                    member=member,
                    status=Attendance.Status.ATTENDING if attending else Attendance.Status.NOT_ATTENDING,
                    dietary_needs="Vegetarisk" if attending and rng.random() < 0.2 else "",
                    responded_at=meeting.registration_deadline - datetime.timedelta(days=rng.randint(1, 20)),
                )
            )
    created["attendances"] = len(_bulk(Attendance, rows))


def _themes(target: int, created: dict) -> list[Theme]:
    existing = Theme.objects.count()
    new = [
        Theme(
            name_sv=f"Tema {i + 1:03d}: {rng_title(i)}",
            name_en=f"Theme {i + 1:03d}",
            description_sv="Ett tema för nätverkets gemensamma utvecklingsprojekt.",
            description_en="A theme for the network's joint development projects.",
            status=Theme.Status.ACCEPTED,
            accepted_at=timezone.now(),
        )
        for i in range(existing, target)
    ]
    created["themes"] = len(_bulk(Theme, new))
    return list(Theme.objects.accepted().order_by("pk"))


def _projects(target: int, themes, institutions, rng, created: dict) -> list[Project]:
    existing = Project.objects.count()
    statuses = [Project.Status.ACTIVE] * 5 + [Project.Status.COMPLETED] * 3 + [Project.Status.PLANNED]
    new, partners, links, through = [], [], [], []
    for i in range(existing, target):
        start = datetime.date(2017, 1, 1) + datetime.timedelta(days=rng.randint(0, 3400))
        project = Project(
            theme=themes[i % len(themes)],
            title=f"Projekt {i + 1:05d}: {rng_title(rng.randint(0, 99))}",
            summary="Ett gemensamt utvecklingsprojekt mellan lärosäten och samhällsaktörer.",
            goals="Bättre och mer långsiktig samverkan.",
            lead_institution=institutions[i % len(institutions)],
            starts_on=start,
            ends_on=start + datetime.timedelta(days=rng.randint(365, 1460)),
            status=rng.choice(statuses),
        )
        new.append(project)
        partners.append(ExternalPartner(project=project, name=f"{rng.choice(PARTNERS)} {i + 1}", kind="other"))
        links.append(ProjectLink(project=project, title="Projektets webbplats", url=f"https://example.se/p/{i + 1}"))
        for institution in rng.sample(institutions, min(3, len(institutions))):
            through.append((project, institution))
    _bulk(Project, new)
    for row in itertools.chain(partners, links):
        row.project_id = row.project.pk
    _bulk(ExternalPartner, partners)
    _bulk(ProjectLink, links)
    Through = Project.institutions.through
    _bulk(Through, [Through(project_id=p.pk, institution_id=inst.pk) for p, inst in through])
    created["projects"] = len(new)
    return list(Project.objects.order_by("pk"))


def _participations(target: int, projects, members, rng, created: dict) -> None:
    need = target - Participation.objects.count()
    taken = set(Participation.objects.values_list("project_id", "member_id"))
    coordinated = set(Participation.objects.filter(is_coordinator=True).values_list("project_id", flat=True))
    rows = []
    for project in itertools.cycle(projects) if need > 0 and members else ():
        if len(rows) >= need:
            break
        member = rng.choice(members)
        if (project.pk, member.pk) in taken:
            continue
        taken.add((project.pk, member.pk))
        is_coordinator = project.pk not in coordinated
        coordinated.add(project.pk)
        rows.append(Participation(project=project, member=member, is_coordinator=is_coordinator))
    created["participations"] = len(_bulk(Participation, rows))


def _reports(rounds_target, reports_target, projects, meetings, members, rng, created: dict) -> None:
    existing = ReportingRound.objects.count()
    new_rounds = []
    for i in range(existing, rounds_target):
        meeting = meetings[i % len(meetings)] if meetings else None
        deadline = (meeting.starts_at.date() if meeting else datetime.date(2020, 1, 1)) - datetime.timedelta(days=21)
        new_rounds.append(
            ReportingRound(
                title=f"Rapportering inför {meeting or deadline.year} ({i + 1})",
                meeting=meeting,
                deadline=deadline,
                opened_at=_aware(deadline - datetime.timedelta(days=42), 9),
            )
        )
    created["rounds"] = len(_bulk(ReportingRound, new_rounds))
    need = reports_target - Report.objects.count()
    rounds = list(ReportingRound.objects.order_by("pk"))
    if need <= 0 or not rounds:
        created["reports"] = 0
        return
    taken = set(Report.objects.values_list("round_id", "project_id"))
    per_round = min(len(projects), math.ceil(need / len(rounds)))
    statuses = [Report.Progress.ON_TRACK] * 3 + [Report.Progress.AT_RISK, Report.Progress.DELAYED]
    users = [m.user_id for m in members[:50]]
    rows = []
    for round_ in rounds:
        for project in rng.sample(projects, per_round):
            if len(rows) >= need:
                break
            if (round_.pk, project.pk) in taken:
                continue
            status = rng.choice(statuses)
            submitted = rng.random() < 0.9
            rows.append(
                Report(
                    round=round_,
                    project=project,
                    state=Report.State.SUBMITTED if submitted else Report.State.DRAFT,
                    submitted_at=_aware(round_.deadline, 15) - datetime.timedelta(days=rng.randint(-2, 5))
                    if submitted
                    else None,
                    submitted_by_id=rng.choice(users) if submitted and users else None,
                    progress="Arbetet går framåt; två workshoppar med partner under perioden.",
                    status=status,
                    status_reason="" if status == Report.Progress.ON_TRACK else "Förseningar hos en partner.",
                    learned="Långsiktiga relationer kräver tid.",
                    next_steps="Planera nästa workshop.",
                    outputs_since_last="En rapport och ett seminarium.",
                )
            )
    created["reports"] = len(_bulk(Report, rows))


def _outputs(target: int, projects, rng, created: dict) -> None:
    need = target - Output.objects.count()
    types = [t for t in Output.Type.values if t != Output.Type.SPIN_OUT]
    rows = []
    for i in range(max(0, need)):
        project = rng.choice(projects)
        kind = rng.choice(types)
        rows.append(
            Output(
                project=project,
                type=kind,
                title=f"{rng_title(rng.randint(0, 99))}: resultat {i + 1:05d}",
                authors=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}; {rng.choice(LAST_NAMES)}, A.",
                year=rng.randint(2017, 2026),
                url=f"https://example.se/resultat/{i + 1}" if kind in (Output.Type.REPORT, Output.Type.OTHER) else "",
            )
        )
    created["outputs"] = len(_bulk(Output, rows))


def main() -> None:
    parser = argparse.ArgumentParser(description="Grow the demo data to K times the network (tops up).")
    parser.add_argument("scale", type=float, metavar="K", help="K=10: ~3,000 members, ~20,000 outputs")
    parser.add_argument("--force", action="store_true", help="Allow with DEBUG off (the benchmark's server).")
    args = parser.parse_args()
    if not (settings.DEBUG or args.force):
        sys.exit("bench/scale.py refuses to run with DEBUG off: its users have the demo's public password.")
    if not 0 < args.scale <= 100:
        sys.exit(f"K must be above 0 and at most 100, not {args.scale:g}.")
    started = time.monotonic()
    with transaction.atomic():
        summary = seed_scale(args.scale)
    for line in summary.lines():
        print(f"    {line}")
    print(f"Scaled to K={args.scale:g} in {time.monotonic() - started:.1f} s.")


if __name__ == "__main__":
    main()
