"""Every write of the importers: one output imported (after a person reviewed it), a batch job
created, a batch job run item by item, a batch's proposed authors confirmed.

Nothing is created when a source fails or the output is registered already (ImportRefused, a
ProjectsError: its text is shown as it is)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models import Member

from .. import services as project_services
from ..models import Output, Project
from . import dedupe, matching, sources
from .client import SourceError
from .models import ImportJob, ImportJobItem, OutputAuthor, OutputSource, Source
from .records import Record


class ImportRefused(project_services.ProjectsError):
    """Not imported: `duplicate` says which output it would have duplicated, if that is why."""

    def __init__(self, message: str, duplicate: dedupe.Duplicate | None = None):
        super().__init__(message)
        self.duplicate = duplicate


def duplicate_message(duplicate: dedupe.Duplicate) -> str:
    return _("Already registered: “%(title)s” in the project “%(project)s” has %(reason)s. Nothing was imported.") % {
        "title": duplicate.output.title,
        "project": duplicate.output.project.title,
        "reason": duplicate.reason_display,
    }


def find_duplicate(record: Record) -> dedupe.Duplicate | None:
    """Registered already: the same source record imported before, or the same DOI, ISBN or title."""
    earlier = (
        OutputSource.objects.filter(source=record.source, identifier=record.identifier)
        .select_related("output__project")
        .first()
    )
    if earlier is not None:
        return dedupe.Duplicate(earlier.output, "record")
    return dedupe.record_duplicate(record)


@dataclass(frozen=True)
class AuthorChoice:
    """An author as saved: her name and ORCID as the source gave them, the member a person confirmed
    (or None), and the member only proposed (a batch: confirmed later)."""

    name: str
    orcid: str = ""
    member: Member | None = None
    proposed: Member | None = None
    reason: str = ""


@transaction.atomic
def output_import(
    *,
    project: Project,
    by,
    source: str,
    identifier: str,
    fields: dict,
    authors: list[AuthorChoice],
    job: ImportJob | None = None,
) -> Output:
    """Create the output (projects.services.output_create validates it), its source record and its
    authors. Refused (ImportRefused) when it duplicates a registered output: by its source record,
    DOI, ISBN or title. Side effects: the caches output_create clears."""
    if source not in Source.values:
        raise ImportRefused(_("Unknown source."))
    probe = Record(
        source=source,
        identifier=identifier,
        type=fields.get("type", ""),
        title=fields.get("title", ""),
        year=fields.get("year"),
        doi=fields.get("doi", ""),
        isbn=fields.get("isbn", ""),
    )
    # The project's row locked: two imports of one record at once wait for each other, so the second
    # sees the first's output and is refused as a duplicate.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    duplicate = find_duplicate(probe)
    if duplicate is not None:
        raise ImportRefused(duplicate_message(duplicate), duplicate)
    output = project_services.output_create(project=project, by=by, **fields)
    OutputSource.objects.create(
        output=output, source=source, identifier=identifier, imported_at=timezone.now(), imported_by=by, job=job
    )
    OutputAuthor.objects.bulk_create(
        OutputAuthor(
            output=output,
            position=position,
            name=author.name[:200],
            orcid=author.orcid,
            member=author.member,
            confirmed_by=by if author.member is not None else None,
            proposed=author.proposed,
            proposal_reason=author.reason,
        )
        for position, author in enumerate(authors)
    )
    return output


def record_fields(record: Record) -> dict:
    """The output's fields from a record, as the review form starts them."""
    return {
        "type": record.type,
        "title": record.title,
        "authors": record.authors_text[:500],
        "year": record.year,
        "doi": record.doi,
        "isbn": record.isbn,
        "url": record.url,
    }


# --- Batch --------------------------------------------------------------------------------------


@transaction.atomic
def import_job_create(*, project: Project, by, source: str, identifiers: list[str]) -> ImportJob:
    """A batch of identifiers (duplicates in the list dropped, order kept) for the worker to import;
    the task is queued when the transaction commits."""
    from .tasks import import_job_run_task  # the task module imports this one

    if source not in Source.values:
        raise ImportRefused(_("Unknown source."))
    unique = list(dict.fromkeys(i.strip() for i in identifiers if i.strip()))
    if not unique:
        raise ImportRefused(_("Give at least one identifier."))
    job = ImportJob.objects.create(project=project, source=source, created_by=by)
    ImportJobItem.objects.bulk_create(
        ImportJobItem(job=job, position=position, identifier=identifier[:200])
        for position, identifier in enumerate(unique)
    )
    transaction.on_commit(lambda: import_job_run_task.delay(job_id=job.pk))
    return job


def _finish_item(item: ImportJobItem, *, result: str, error_code: str = "", output: Output | None = None) -> None:
    item.result = result
    item.error_code = error_code
    item.output = output
    item.finished_at = timezone.now()
    item.save(update_fields=["result", "error_code", "output", "finished_at"])


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Import the job's waiting items one by one, each result committed as it ends (the page shows
    them as they come; a rerun after a crash goes on from the first waiting item). The source is
    asked outside any transaction. Returns None when the job is gone."""
    job = (
        ImportJob.objects.select_related("project", "project__lead_institution", "created_by").filter(pk=job_id).first()
    )
    if job is None:
        return None
    if job.status == ImportJob.Status.QUEUED:
        job.status, job.started_at = ImportJob.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    members = matching.active_members()
    for item in list(job.items.filter(result=ImportJobItem.Result.PENDING).order_by("position")):
        try:
            record = sources.fetch(job.source, item.identifier)
        except SourceError as error:
            _finish_item(item, result=ImportJobItem.Result.FAILED, error_code=error.code)
            continue
        proposals = {p.position: p for p in matching.propose(record, project=job.project, members=members)}
        authors = [
            AuthorChoice(
                name=author.name,
                orcid=author.orcid,
                proposed=proposals[position].member if position in proposals else None,
                reason=proposals[position].reason if position in proposals else "",
            )
            for position, author in enumerate(record.authors)
        ]
        try:
            with transaction.atomic():
                output = output_import(
                    project=job.project,
                    by=job.created_by,
                    source=job.source,
                    identifier=record.identifier,
                    fields=record_fields(record),
                    authors=authors,
                    job=job,
                )
        except ImportRefused as refused:
            if refused.duplicate is not None:
                _finish_item(item, result=ImportJobItem.Result.DUPLICATE, output=refused.duplicate.output)
            else:
                _finish_item(item, result=ImportJobItem.Result.FAILED, error_code=SourceError.MALFORMED)
            continue
        except project_services.ProjectsError:  # the record does not make a valid output
            _finish_item(item, result=ImportJobItem.Result.FAILED, error_code=SourceError.MALFORMED)
            continue
        _finish_item(item, result=ImportJobItem.Result.CREATED, output=output)
    job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
    job.save(update_fields=["status", "finished_at"])
    return job


@transaction.atomic
def authors_confirm(*, job: ImportJob, by, author_ids: list[int]) -> int:
    """Link the chosen proposals of a batch's outputs to their members; returns how many."""
    links = OutputAuthor.objects.select_for_update().filter(
        pk__in=author_ids, output__source_record__job=job, proposed__isnull=False, member__isnull=True
    )
    count = 0
    for link in links:
        link.member, link.confirmed_by = link.proposed, by
        link.save(update_fields=["member", "confirmed_by"])
        count += 1
    return count
