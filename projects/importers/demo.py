"""Demo data of the importers: a few outputs the network's projects took from where they were already
recorded, with their source kept (idempotent, called by projects.demo.seed after its outputs).

True to the demo's network: the article of "Industridoktorander 2.0" came by its DOI, the anthology
of "Kommunala forskningsarenor" from LIBRIS by its ISBN, and "Korta kurser för yrkesverksamma" (Anders
Ek's, a demo login) took its report from its lead institution's archive through Swepub, as a batch
(one record imported, one the project had registered already), its authors confirmed as members."""

import datetime

from django.utils import timezone

from ..models import Output, Project
from ..validators import normalise_doi, normalise_isbn
from .models import ImportJob, ImportJobItem, OutputAuthor, OutputSource, Source
from .sources import SWEPUB_ORG_BY_DOMAIN

SHORT_COURSES = "Korta kurser för yrkesverksamma"  # projects.demo.COORDINATED
SWEPUB_REPORT = "Korta kurser för yrkesverksamma: erfarenheter från lärosätenas uppdragsutbildning"


def _moment(year: int, today: datetime.date) -> datetime.datetime:
    day = min(datetime.date(year, 10, 15), today)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def _coordinator_user(project: Project):
    participation = project.participations.filter(is_coordinator=True).select_related("member__user").first()
    return participation.member.user if participation else None


def _mark(output: Output, *, source: str, identifier: str, today: datetime.date, job=None) -> None:
    OutputSource.objects.get_or_create(
        output=output,
        defaults={
            "source": source,
            "identifier": identifier,
            "imported_at": _moment(output.year, today),
            "imported_by": _coordinator_user(output.project),
            "job": job,
        },
    )


def seed(projects: list[Project], today: datetime.date) -> None:
    by_title = {project.title: project for project in projects}
    article = Output.objects.filter(project=by_title.get("Industridoktorander 2.0"), doi__gt="").first()
    if article is not None:
        _mark(article, source=Source.DOI, identifier=normalise_doi(article.doi), today=today)
    book = Output.objects.filter(project=by_title.get("Kommunala forskningsarenor"), isbn__gt="").first()
    if book is not None:
        _mark(book, source=Source.LIBRIS, identifier=normalise_isbn(book.isbn), today=today)

    project = by_title.get(SHORT_COURSES)
    if project is None or Output.objects.filter(project=project, title=SWEPUB_REPORT).exists():
        return
    domains = project.lead_institution.domains.values_list("domain", flat=True)
    code = next((SWEPUB_ORG_BY_DOMAIN[d] for d in domains if d in SWEPUB_ORG_BY_DOMAIN), "kth")
    year = max(project.starts_on.year, min(project.starts_on.year + 2, today.year))
    people = list(project.participations.select_related("member__user", "member__institution").order_by("pk"))
    by = _coordinator_user(project)
    job = ImportJob.objects.create(
        project=project,
        source=Source.SWEPUB,
        status=ImportJob.Status.DONE,
        created_by=by,
        started_at=_moment(year, today),
        finished_at=_moment(year, today) + datetime.timedelta(seconds=4),
    )
    ImportJob.objects.filter(pk=job.pk).update(created_at=_moment(year, today))
    output = Output.objects.create(
        project=project,
        type=Output.Type.REPORT,
        title=SWEPUB_REPORT,
        authors="; ".join(p.member.full_name for p in people),
        year=year,
        url=f"http://urn.kb.se/resolve?urn=urn:nbn:se:{code}:diva-{40000 + project.pk}",
        created_by=by,
    )
    record_id = f"oai:DiVA.org:{code}-{40000 + project.pk}"
    _mark(output, source=Source.SWEPUB, identifier=record_id, today=today, job=job)
    for position, participation in enumerate(people):
        OutputAuthor.objects.create(
            output=output,
            position=position,
            name=participation.member.full_name,
            member=participation.member,
            confirmed_by=by,
            proposed=participation.member,
            proposal_reason="name",
        )
    ImportJobItem.objects.create(
        job=job, position=0, identifier=record_id, result=ImportJobItem.Result.CREATED, output=output,
        finished_at=_moment(year, today),
    )  # fmt: skip
    earlier = Output.objects.filter(project=project).exclude(pk=output.pk).first()
    if earlier is not None:  # the project's own interim report, in Swepub too: recognised, not imported twice
        ImportJobItem.objects.create(
            job=job, position=1, identifier=f"oai:DiVA.org:{code}-{39000 + project.pk}",
            result=ImportJobItem.Result.DUPLICATE, output=earlier, finished_at=_moment(year, today),
        )  # fmt: skip
