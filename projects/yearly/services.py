"""The yearly report's writes: check a request, keep its row, build its files (in the background for
the page, in the foreground for the `yearly_report` command: the same functions).

A row moves queued -> running -> done (both files kept) or failed (the reason kept). The task claims
a queued row with `select_for_update(skip_locked=True)`, so a message delivered twice builds once; a
row left queued or running (a broker outage, a worker killed mid-way) blocks nothing for longer than
YEARLY_REPORT_STUCK_AFTER: then the same year and language may be asked for again, and the stale row
is marked failed."""

import datetime
import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.models import Meeting

from ..models import Output, Project
from . import data as yearly_data
from .models import YEARLY_REPORT_STUCK_AFTER, YearlyReport
from .pdf import render_pdf
from .word import render_docx

logger = logging.getLogger(__name__)


class YearlyReportError(Exception):
    """A request that cannot be met; `str(error)` is a translated message for the user."""


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def year_has_data(year: int) -> bool:
    """Anything to report: a meeting, a running project or a dated output in the year. Three queries at most."""
    start, end = yearly_data.year_bounds(year)
    return (
        Meeting.objects.open_to_all_members().filter(starts_at__year=year).exists()
        or yearly_data.running_projects(start, end).exists()
        or Output.objects.filter(year=year).exists()
    )


def report_years() -> list[int]:
    """The years there may be something to report, newest first: from the earliest meeting, project or
    output to this year. Three queries."""
    this_year = timezone.localdate().year
    firsts = [
        Meeting.objects.open_to_all_members().aggregate(first=Min("year"))["first"],
        Project.objects.aggregate(first=Min("starts_on"))["first"],
        Output.objects.aggregate(first=Min("year"))["first"],
    ]
    firsts = [value.year if isinstance(value, datetime.date) else value for value in firsts if value is not None]
    first = min(firsts, default=this_year)
    return list(range(this_year, first - 1, -1))


def yearly_report_check(*, year: int, language: str) -> None:
    """Raise YearlyReportError when no report can be made for `year` in `language`."""
    if language not in languages():
        raise YearlyReportError(
            _("“%(language)s” is not a language of the report: choose one of %(languages)s.")
            % {"language": language, "languages": ", ".join(languages())}
        )
    this_year = timezone.localdate().year
    if year > this_year:
        raise YearlyReportError(
            _("%(year)d has not begun yet: choose %(this_year)d or an earlier year.")
            % {"year": year, "this_year": this_year}
        )
    if not year_has_data(year):
        raise YearlyReportError(
            _("There is nothing to report for %(year)d: no meeting, running project or output.") % {"year": year}
        )


def yearly_report_render(*, year: int, language: str) -> tuple[bytes, bytes]:
    """The PDF and the Word file for the year, in `language`, from one gathering of the data."""
    with translation.override(language):
        gathered = yearly_data.gather(year)
        return render_pdf(gathered), render_docx(gathered)


def yearly_report_request(*, year: int, language: str, by=None, background: bool = True) -> YearlyReport:
    """Ask for the report of `year` in `language`.

    Side effects: a YearlyReport row (queued); with `background`, the build task is handed to the
    broker after commit (a broker outage leaves the row queued, to be asked for again later);
    without it (the command), the report is built here and now, after the row is committed. A stale
    pending row of the same year and language is marked failed.
    """
    yearly_report_check(year=year, language=language)
    now = timezone.now()
    with transaction.atomic():
        pending = YearlyReport.objects.select_for_update().filter(
            year=year, language=language, state__in=[YearlyReport.State.QUEUED, YearlyReport.State.RUNNING]
        )
        if background and pending.filter(created_at__gt=now - YEARLY_REPORT_STUCK_AFTER).exists():
            raise YearlyReportError(
                _("The report for %(year)d in this language is already being generated.") % {"year": year}
            )
        pending.filter(created_at__lte=now - YEARLY_REPORT_STUCK_AFTER).update(
            state=YearlyReport.State.FAILED, error="did not finish", finished_at=now
        )
        report = YearlyReport.objects.create(year=year, language=language, requested_by=by)
        if background:
            transaction.on_commit(lambda: _hand_to_worker(report.pk))
            return report
    return yearly_report_build(report_id=report.pk) or report


def _hand_to_worker(report_id: int) -> None:
    from .tasks import yearly_report_build_task  # tasks.py imports this module

    try:
        yearly_report_build_task.apply_async(kwargs={"report_id": report_id})
    except Exception:  # a broker outage must not turn into an error page: the row stays queued
        logger.exception("broker unreachable: yearly report %s stays queued", report_id)


def yearly_report_build(*, report_id: int) -> YearlyReport | None:
    """Build a queued report: gather, render the PDF and the Word file, keep both.

    Side effects: the row is claimed (queued -> running), then done with its two files or failed
    with the reason. Returns None, doing nothing, when the row is gone or no longer queued (a
    message delivered twice)."""
    with transaction.atomic():
        report = (
            YearlyReport.objects.select_for_update(skip_locked=True)
            .filter(pk=report_id, state=YearlyReport.State.QUEUED)
            .first()
        )
        if report is None:
            return None
        report.state = YearlyReport.State.RUNNING
        report.started_at = timezone.now()
        report.save(update_fields=["state", "started_at"])
    began = time.monotonic()
    try:
        pdf, docx = yearly_report_render(year=report.year, language=report.language)
        report.pdf.save(report.download_name("pdf"), ContentFile(pdf), save=False)
        report.docx.save(report.download_name("docx"), ContentFile(docx), save=False)
    except Exception as error:
        logger.exception("yearly report %s failed", report.pk)
        report.state = YearlyReport.State.FAILED
        report.error = f"{type(error).__name__}: {error}"[:2000]
        report.finished_at = timezone.now()
        report.save(update_fields=["state", "error", "finished_at"])
        return report
    report.state = YearlyReport.State.DONE
    report.finished_at = timezone.now()
    report.save(update_fields=["state", "pdf", "docx", "finished_at"])
    logger.info(
        "yearly report %s (%s, %s) built in %.2f s", report.pk, report.year, report.language, time.monotonic() - began
    )
    return report
