"""Demo data of the projects app; called by `manage.py seed_demo` after the network's and the
meetings' seeds. Idempotent: themes by Swedish name, projects and rounds by title, reports by
(round, project), outputs by (project, title). Rounds in the past are created directly (the
service refuses a deadline in the past, as it should for people).

True to the network's history, dates relative to the day it runs: the themes were chosen at the first
meeting; projects started over the years since 2018 and their outputs are never dated before they
started (AkUt, the spin-out, came out of the earlier project on spin-outs); two past reporting rounds
before the last two meetings held, and one round opened today for the next meeting. The last past
round and the open one also ask every institution what it did with the results; institutions took up
the first programme's shared results (a report, the criteria for merits, the indicators, AkUt...),
most of them without having taken part in the project."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from meetings.models import Theme
from network import demo as network_demo
from network.models import Institution, Member

from .importers.demo import seed as seed_imports
from .models import ExternalPartner, Output, Participation, Project, ProjectLink, Report, ReportingRound, Uptake

# The 18 themes of the K3 programme: (Swedish, English, description in Swedish, in English).
THEMES = [
    (
        "Strategisk samverkan med regioner",
        "Strategic collaboration with regions",
        "Långsiktiga partnerskap mellan lärosäten och regioner.",
        "Long-term partnerships between universities and regions.",
    ),
    (
        "Samverkan med näringslivet",
        "Collaboration with industry",
        "Strukturer för långsiktiga relationer med företag.",
        "Structures for long-term relations with companies.",
    ),
    (
        "Samverkan med offentlig sektor",
        "Collaboration with the public sector",
        "Kunskapsutbyte med kommuner och myndigheter.",
        "Knowledge exchange with municipalities and agencies.",
    ),
    (
        "Civilsamhällets roll i samverkan",
        "Civil society in collaboration",
        "Hur ideella organisationer blir partner i forskning och utbildning.",
        "Non-profits as partners in research and education.",
    ),
    (
        "Samverkan i utbildningen",
        "Collaboration in education",
        "Arbetsintegrerat lärande och verksamhetsförlagd utbildning.",
        "Work-integrated learning and placements.",
    ),
    (
        "Livslångt lärande och kompetensförsörjning",
        "Lifelong learning and skills supply",
        "Korta kurser och vidareutbildning för yrkesverksamma.",
        "Short courses and continuing education for professionals.",
    ),
    (
        "Meritering av samverkan",
        "Recognising collaboration in careers",
        "Hur samverkan värderas vid anställning och befordran.",
        "How collaboration counts in hiring and promotion.",
    ),
    (
        "Kvalitetssäkring av samverkan",
        "Quality assurance of collaboration",
        "Indikatorer och uppföljning av samverkan.",
        "Indicators and follow-up of collaboration.",
    ),
    (
        "Nyttiggörande och innovation",
        "Utilisation and innovation",
        "Innovationskontor, holdingbolag och avknoppningar.",
        "Innovation offices, holding companies and spin-offs.",
    ),
    (
        "Forskningsinfrastruktur i samverkan",
        "Shared research infrastructure",
        "Gemensamma testbäddar och laboratorier med omgivningen.",
        "Shared testbeds and labs with society.",
    ),
    (
        "Hållbar samhällsomställning",
        "Sustainable transition",
        "Agenda 2030 och klimatomställning i samverkan.",
        "Agenda 2030 and climate transition through collaboration.",
    ),
    (
        "Internationell samverkan",
        "International collaboration",
        "Europeiska universitetsallianser och globala partnerskap.",
        "European university alliances and global partnerships.",
    ),
    (
        "Kommunikation och dialog med samhället",
        "Public engagement and dialogue",
        "Forskningskommunikation och öppen vetenskap.",
        "Science communication and open science.",
    ),
    (
        "Samverkansstödets organisation",
        "Organising collaboration support",
        "Hur samverkanskontor och stödfunktioner arbetar.",
        "How collaboration offices and support functions work.",
    ),
    (
        "Ledarskap för samverkan",
        "Leadership for collaboration",
        "Akademiskt ledarskap som främjar samverkan.",
        "Academic leadership that fosters collaboration.",
    ),
    (
        "Samverkan och akademisk frihet",
        "Collaboration and academic freedom",
        "Integritet och oberoende i externa relationer.",
        "Integrity and independence in external relations.",
    ),
    (
        "Digital omställning i samverkan",
        "Digital transition through collaboration",
        "AI, data och digitalisering tillsammans med omgivningen.",
        "AI, data and digitalisation together with society.",
    ),
    (
        "Finansiering av samverkan",
        "Funding collaboration",
        "Resursfördelning och externa medel för samverkan.",
        "Resource allocation and external funding for collaboration.",
    ),
]

PROJECTS = [
    # (title, theme index, summary)
    ("Regionala kompetensnoder", 0, "Gemensamma noder för kompetensförsörjning i fyra regioner."),
    ("Industridoktorander 2.0", 1, "En modell för industridoktorander som delas mellan lärosäten."),
    ("Kommunala forskningsarenor", 2, "Arenor där kommuner och forskare formulerar frågor tillsammans."),
    ("Civilsamhället som forskningspartner", 3, "Modeller för partnerskap med ideella organisationer."),
    ("Arbetsintegrerat lärande i alla program", 4, "AIL som bärande princip i utbildningen."),
    ("Korta kurser för yrkesverksamma", 5, "En gemensam katalog av korta kurser."),
    ("Samverkansmeriter i anställningsordningar", 6, "Kriterier för att värdera samverkan vid befordran."),
    ("Indikatorer för samverkan", 7, "Ett gemensamt ramverk för uppföljning."),
    ("Avknoppningar från lärosäten", 8, "Stöd till forskare som vill starta företag."),
    ("Delade testbäddar", 9, "Testbäddar som öppnas för företag och offentlig sektor."),
    ("Klimatomställning i städer", 10, "Samverkan med städer om klimatmål."),
    ("Europeiska allianser och samverkan", 11, "Erfarenheter från europeiska universitetsallianser."),
    ("Öppen vetenskap i dialog", 12, "Dialogformat mellan forskare och allmänhet."),
    ("Ledarskapsprogram för samverkan", 14, "Ett gemensamt program för akademiska ledare."),
    ("AI i offentlig förvaltning", 16, "Lärosäten och myndigheter om AI i förvaltningen."),
]

# Anders Ek (JU), a documented demo login, coordinates this one: he has a report to write in the open round.
COORDINATED = "Korta kurser för yrkesverksamma"
SPIN_OUT_ORIGIN = "Avknoppningar från lärosäten"

AKUT = ("AkUt", 8, "AkUt – akademiskt utvecklingsprogram för avknoppningar, startat ur ett nätverksprojekt.")

PARTNERS = [
    ("Region Skåne", ExternalPartner.Kind.REGION),
    ("Vinnova", ExternalPartner.Kind.AGENCY),
    ("Ericsson AB", ExternalPartner.Kind.COMPANY),
    ("Studieförbundet Vuxenskolan", ExternalPartner.Kind.CIVIL_SOCIETY),
    ("Sveriges Kommuner och Regioner", ExternalPartner.Kind.OTHER),
]


PROPOSED_THEME = (
    "Samverkan för hållbar omställning",
    "Collaboration for a sustainable transition",
    "Hur lärosätena samverkar med regioner och näringsliv om klimatomställningen.",
    "How the institutions work with regions and industry on the climate transition.",
)


def _meetings_held(today: datetime.date):
    """The meetings demo's history: the held meetings, oldest first (a layer below projects)."""
    from meetings.models import Meeting

    return list(
        Meeting.objects.filter(
            status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED], starts_at__date__lt=today
        ).order_by("starts_at")
    )


def _next_meeting(today: datetime.date):
    from meetings.models import Meeting

    return Meeting.objects.filter(starts_at__date__gt=today).order_by("starts_at").first()


def _start(index: int, today: datetime.date) -> datetime.date:
    """Projects started over the years since 2018, never later than a year ago."""
    start = datetime.date(2018 + index % 7, 1 + (index * 5) % 12, 1)
    latest = today - datetime.timedelta(days=365)
    return min(start, latest.replace(day=1))


def seed() -> None:
    """Create the projects app's demo data (idempotent)."""
    today = timezone.localdate()
    held = _meetings_held(today)
    # The network chose its themes at its first meeting (KTH, 8 March 2017).
    chosen_at = held[0] if held else None
    themes = []
    for name_sv, name_en, desc_sv, desc_en in THEMES:
        theme, _ = Theme.objects.get_or_create(
            name_sv=name_sv,
            defaults={
                "name_en": name_en,
                "description_sv": desc_sv,
                "description_en": desc_en,
                "status": Theme.Status.ACCEPTED,
                "is_active": True,
                "chosen_at": chosen_at,
                "accepted_at": chosen_at.starts_at if chosen_at else timezone.now(),
            },
        )
        themes.append(theme)
    # A theme the steering group's chair proposed after the programme: the network decides at a meeting.
    chair = (
        Member.objects.filter(user__email=network_demo.demo_email("erik.johansson", "LiU"))
        .select_related("user")
        .first()
    )
    Theme.objects.get_or_create(
        name_sv=PROPOSED_THEME[0],
        defaults={
            "name_en": PROPOSED_THEME[1],
            "description_sv": PROPOSED_THEME[2],
            "description_en": PROPOSED_THEME[3],
            "status": Theme.Status.PROPOSED,
            "is_active": False,
            "proposed_by": chair.user if chair else None,
        },
    )

    institutions = list(Institution.objects.current_members().order_by("name"))
    if not institutions:
        return  # the network demo has not run: nothing to hang projects on
    members = list(Member.objects.active().select_related("institution", "user").order_by("pk"))
    coordinator_login = Member.objects.filter(user__email=network_demo.demo_email("anders.ek", "JU")).first()

    projects = []
    origin_start = None
    for index, (title, theme_index, summary) in enumerate([*PROJECTS, AKUT]):
        lead = institutions[(index * 3) % len(institutions)]
        if title == COORDINATED and coordinator_login:
            lead = coordinator_login.institution
        starts_on = _start(index, today)
        if title == AKUT[0] and origin_start:
            # AkUt came out of the earlier project on spin-outs: it starts two years after it.
            latest = (today - datetime.timedelta(days=365)).replace(day=1)
            starts_on = min(origin_start.replace(year=origin_start.year + 2), latest)
        if title == SPIN_OUT_ORIGIN:
            origin_start = starts_on
        completed = index == 12
        ends_on = (
            starts_on.replace(year=starts_on.year + 3) - datetime.timedelta(days=1)
            if completed
            else datetime.date(today.year + 2, 12, 31)
        )
        if completed and ends_on >= today:
            ends_on = today - datetime.timedelta(days=1)
        project, created = Project.objects.get_or_create(
            title=title,
            defaults={
                "theme": themes[theme_index],
                "summary": summary,
                "goals": "Långsiktiga relationer med organisationer utanför akademin.",
                "lead_institution": lead,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "status": Project.Status.COMPLETED if completed else Project.Status.ACTIVE,
            },
        )
        if created:
            # every member institution takes part in at least one project: 3 per project, in turn
            participating = {lead, *(institutions[(index * 3 + k) % len(institutions)] for k in range(1, 3))}
            project.institutions.set(participating)
            partner = PARTNERS[index % len(PARTNERS)]
            ExternalPartner.objects.create(project=project, name=partner[0], kind=partner[1])
            ProjectLink.objects.create(
                project=project, title="Projektsida", url=f"https://kloss-net.se/projekt/{project.pk}"
            )
        projects.append(project)
        if members:
            at_lead = [m for m in members if m.institution_id == project.lead_institution_id]
            coordinator = at_lead[0] if at_lead else members[index % len(members)]
            if title == COORDINATED and coordinator_login:
                coordinator = coordinator_login
            Participation.objects.get_or_create(project=project, member=coordinator, defaults={"is_coordinator": True})
            other = members[(index + 1) % len(members)]
            if other != coordinator:
                Participation.objects.get_or_create(project=project, member=other)
    # make sure the last institutions (when there are more than 3 per project can cover) take part
    covered = set(Project.institutions.through.objects.values_list("institution_id", flat=True))
    for i, institution in enumerate(inst for inst in institutions if inst.pk not in covered):
        projects[i % len(projects)].institutions.add(institution)

    _seed_rounds(projects, held, today)
    _seed_outputs(projects, today)
    _seed_uptake(today)
    seed_imports(projects, today)  # a few of them imported from DOI, LIBRIS and Swepub (projects/importers/)


SEASON_SV = {"spring": "vårmötet", "autumn": "höstmötet"}


def _round_title(meeting) -> str:
    return f"Rapportering inför {SEASON_SV[meeting.season]} {meeting.year}"


def _seed_rounds(projects: list[Project], held: list, today: datetime.date) -> None:
    """Two past rounds (before the last two meetings held) and one open round, opened the day the demo
    is loaded, for the next meeting: a coordinator can write a report at once."""
    statuses = [Report.Progress.ON_TRACK, Report.Progress.ON_TRACK, Report.Progress.AT_RISK, Report.Progress.DELAYED]
    for round_number, meeting in enumerate(held[-2:]):
        deadline = timezone.localtime(meeting.starts_at).date() - datetime.timedelta(days=26)
        round_, _ = ReportingRound.objects.get_or_create(
            title=_round_title(meeting),
            defaults={"deadline": deadline, "meeting": meeting,
                      "opened_at": timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(9)))
                      - datetime.timedelta(days=42)},
        )  # fmt: skip
        active = [p for p in projects if p.status == Project.Status.ACTIVE and p.starts_on < round_.deadline]
        for index, project in enumerate(active):
            if (index + round_number) % 7 == 6:
                continue  # a few projects never reported: the overview shows them missing
            status = statuses[(index + round_number) % len(statuses)]
            days = -3 if index % 5 else 2  # most on time, every fifth two days late
            submitted = (index + round_number) % 6 != 5
            Report.objects.get_or_create(
                round=round_,
                project=project,
                defaults={
                    "state": Report.State.SUBMITTED if submitted else Report.State.DRAFT,
                    "submitted_at": timezone.make_aware(datetime.datetime.combine(round_.deadline, datetime.time(15)))
                    + datetime.timedelta(days=days)
                    if submitted
                    else None,
                    "progress": f"{project.title}: arbetet går framåt; två workshoppar med partner under perioden.",
                    "status": status,
                    "status_reason": "" if status == Report.Progress.ON_TRACK else "Sjukskrivning i projektgruppen.",
                    "learned": "Långsiktiga relationer kräver tid och en tydlig kontaktperson.",
                    "next_steps": "Planera nästa workshop och en gemensam rapport.",
                    "outputs_since_last": "En rapport och ett seminarium.",
                },
            )
    upcoming = _next_meeting(today)
    if upcoming is None:
        return
    meeting_day = timezone.localtime(upcoming.starts_at).date()
    deadline = max(today, min(today + datetime.timedelta(days=21), meeting_day - datetime.timedelta(days=1)))
    if not ReportingRound.objects.filter(deadline__gte=today).exists():
        ReportingRound.objects.get_or_create(
            title=_round_title(upcoming),
            defaults={"deadline": deadline, "meeting": upcoming, "opened_at": timezone.now()},
        )


def _seed_outputs(projects: list[Project], today: datetime.date) -> None:
    """Outputs dated within their project's life: never before it started, never after today."""
    akut = next(p for p in projects if p.title == AKUT[0])
    origin = next(p for p in projects if p.title == SPIN_OUT_ORIGIN)

    def year(project: Project, offset: int = 1) -> int:
        end = min(today, project.ends_on) if project.ends_on else today
        return max(project.starts_on.year, min(project.starts_on.year + offset, end.year))

    rows = [
        (origin, Output.Type.SPIN_OUT, "AkUt – ett nytt utvecklingsprogram", "", akut.starts_on.year,
         {"spin_out": akut}),
        (projects[0], Output.Type.REPORT, "Regionala kompetensnoder – slutsatser", "Anna Lind, Maria Berg",
         year(projects[0], 2), {"url": "https://kloss-net.se/rapporter/kompetensnoder"}),
        (projects[1], Output.Type.ARTICLE, "Industrial PhD students as boundary spanners", "Lind, A.; Berg, M.",
         year(projects[1]), {"doi": "10.1234/kloss.2024.001"}),
        (projects[2], Output.Type.BOOK, "Samverkan i kommunen: en antologi", "Red. Maria Berg", year(projects[2], 2),
         {"isbn": "978-0-306-40615-7"}),
        (projects[3], Output.Type.EVENT, "Konferens: civilsamhället och akademin", "", year(projects[3]), {}),
        (projects[4], Output.Type.POLICY, "Remissvar om arbetsintegrerat lärande", "KLOSS-Net", year(projects[4]), {}),
        (projects[5], Output.Type.OTHER, "Kurskatalog för yrkesverksamma", "", year(projects[5], 0),
         {"url": "https://kloss-net.se/kurser"}),
    ]  # fmt: skip
    for index, project in enumerate(projects[6:], start=6):
        kind = list(Output.Type.values)[index % len(Output.Type.values)]
        if kind == Output.Type.SPIN_OUT:
            kind = Output.Type.REPORT
        rows.append((project, kind, f"{project.title}: delrapport", "Projektgruppen", year(project, index % 3), {}))
    for project, kind, title, authors, output_year, extra in rows:
        output, created = Output.objects.get_or_create(
            project=project, title=title, defaults={"type": kind, "authors": authors, "year": output_year, **extra}
        )
        if created and kind == Output.Type.POLICY:  # the consultation response as the file it was sent as
            output.file.save("remissvar.pdf", ContentFile(_pdf(title)), save=True)


# What institutions did with the first programme's shared results: (project, output title or None for
# the project as a whole, institution, level, what was done, who is responsible, months after the
# result, evidence link, follow-up or "").
UPTAKE = [
    ("Regionala kompetensnoder", "Regionala kompetensnoder – slutsatser", "LTU", Uptake.Level.CHANGED,
     "Slutsatserna låg till grund för universitetets nya avtal med Region Norrbotten om kompetensförsörjning.",
     "Prorektor", 6, "https://kloss-net.se/upptag/ltu-region-norrbotten",
     "Avtalet förnyades efter två år; två nya kompetensnoder i Kiruna och Skellefteå."),
    ("Regionala kompetensnoder", "Regionala kompetensnoder – slutsatser", "HDa", Uptake.Level.ADOPTED,
     "Modellen med kompetensnoder infördes i samarbetet med Region Dalarna.", "Samverkanschef", 9, "", ""),
    ("Regionala kompetensnoder", "Regionala kompetensnoder – slutsatser", "MIUN", Uptake.Level.TRIED,
     "En nod prövades i Sundsvall under ett läsår.", "Samverkansstrateg", 12, "",
     "Noden lades ned; erfarenheterna används i det regionala utvecklingsarbetet."),
    ("Regionala kompetensnoder", "Regionala kompetensnoder – slutsatser", "KaU", Uptake.Level.INFORMED,
     "Slutsatserna presenterades för rektors ledningsråd.", "Vicerektor för samverkan", 3, "", ""),
    ("Samverkansmeriter i anställningsordningar", None, "MAU", Uptake.Level.CHANGED,
     "Anställningsordningen reviderades: samverkansskicklighet bedöms nu vid anställning och befordran.",
     "Prorektor", 10, "https://kloss-net.se/upptag/mau-anstallningsordning", ""),
    ("Samverkansmeriter i anställningsordningar", None, "UU", Uptake.Level.ADOPTED,
     "Projektets kriterier används av lärarförslagsnämnderna vid befordran.", "Vicerektor", 14, "", ""),
    ("Samverkansmeriter i anställningsordningar", None, "HV", Uptake.Level.CHANGED,
     "Ny policy för meritering av samverkan antagen av styrelsen.", "Rektor", 8, "", ""),
    ("Indikatorer för samverkan", "Indikatorer för samverkan: delrapport", "KTH", Uptake.Level.ADOPTED,
     "Indikatorerna ingår i den årliga verksamhetsuppföljningen.", "Samverkanschef", 6, "", ""),
    ("Indikatorer för samverkan", "Indikatorer för samverkan: delrapport", "ORU", Uptake.Level.TRIED,
     "Tre av indikatorerna prövades i fakulteternas uppföljning.", "Samverkansstrateg", 9, "", ""),
    ("AkUt", None, "LNU", Uptake.Level.TRIED,
     "Två forskargrupper deltog i AkUt:s första omgång.", "Innovationskontoret", 4, "", ""),
    ("AkUt", None, "HH", Uptake.Level.INFORMED,
     "Programmet presenterades för forskare vid en innovationsdag.", "Innovationskontoret", 6, "", ""),
    ("Arbetsintegrerat lärande i alla program", "Remissvar om arbetsintegrerat lärande", "HB",
     Uptake.Level.INFORMED, "Remissvaret låg till grund för lärosätets eget yttrande.", "Utbildningsdekan", 2, "", ""),
    ("Korta kurser för yrkesverksamma", "Kurskatalog för yrkesverksamma", "HiG", Uptake.Level.ADOPTED,
     "Högskolans korta kurser ingår nu i den gemensamma katalogen.", "Enheten för uppdragsutbildning", 3,
     "https://kloss-net.se/kurser", ""),
    ("Industridoktorander 2.0", "Industrial PhD students as boundary spanners", "Chalmers", Uptake.Level.ADOPTED,
     "Modellen för delade industridoktorander används i två nya företagsforskarskolor.", "Forskningsdekan", 12,
     "", ""),
]  # fmt: skip
UPTAKE_WITH_FILE = "MAU"  # its decision, as the PDF it was sent as


def _months_later(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def _seed_uptake(today: datetime.date) -> None:
    """The uptake records above, dated after their result and before today; the last past round and the
    open one ask every institution for its uptake, and the records made before the past round's
    deadline answered it."""
    past = ReportingRound.objects.filter(deadline__lt=today).order_by("-deadline").first()
    ReportingRound.objects.filter(deadline__gte=today).update(asks_uptake=True)
    if past is not None:
        ReportingRound.objects.filter(pk=past.pk).update(asks_uptake=True)
    institutions = {i.short_name: i for i in Institution.objects.current_members()}
    latest = today - datetime.timedelta(days=45)
    for title, output_title, short, level, description, responsible, months, url, follow_up in UPTAKE:
        project = Project.objects.filter(title=title).first()
        output = Output.objects.filter(project=project, title=output_title).first() if output_title else None
        institution = institutions.get(short)
        if project is None or institution is None or (output_title and output is None):
            continue
        since = datetime.date(output.year, 1, 1) if output else project.starts_on
        starts_on = min(_months_later(max(since, project.starts_on), months), latest)
        answered = past if past is not None and starts_on <= past.deadline else None
        uptake, created = Uptake.objects.get_or_create(
            institution=institution,
            project=project,
            output=output,
            defaults={
                "level": level,
                "description": description,
                "responsible": responsible,
                "starts_on": starts_on,
                "evidence_url": url,
                "follow_up": follow_up,
                "followed_up_on": min(_months_later(starts_on, 18), today) if follow_up else None,
                "round": answered,
            },
        )
        if created and short == UPTAKE_WITH_FILE:
            uptake.evidence_file.save("beslut-anstallningsordning.pdf", ContentFile(_pdf(description)), save=True)


def _pdf(text: str) -> bytes:
    """A one-page PDF showing `text` (ASCII letters kept): a real file for the demo's download link."""
    line = "".join(ch for ch in text if ch.isascii() and ch not in "()\\")
    stream = f"BT /F1 18 Tf 72 760 Td ({line}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
