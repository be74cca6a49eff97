"""Every write of the projects app. Keyword-only, typed, atomic; a ProjectsError carries a
translated message the view shows as it is."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Theme
from network import cache
from network.models import Institution, Member
from network.webhooks.services import webhook_emit

from .models import ExternalPartner, Output, Participation, Project, ProjectLink, Report, ReportingRound


class ProjectsError(Exception):
    """A domain error; `str(error)` is a translated message for the user."""


# --- Themes -------------------------------------------------------------------------------------


@transaction.atomic
def theme_propose(*, by, name_sv: str, name_en: str, description_sv: str = "", description_en: str = "") -> Theme:
    if Theme.objects.filter(name_sv__iexact=name_sv.strip()).exists():
        raise ProjectsError(_("There is already a theme called “%(name)s”.") % {"name": name_sv})
    theme = Theme.objects.create(
        name_sv=name_sv.strip(),
        name_en=name_en.strip(),
        description_sv=description_sv,
        description_en=description_en,
        proposed_by=by,
        status=Theme.Status.PROPOSED,
        is_active=False,
    )
    cache.changed(theme)
    return theme


@transaction.atomic
def theme_accept(*, theme: Theme, by, meeting=None) -> Theme:
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if theme.status == Theme.Status.ACCEPTED:
        raise ProjectsError(_("This theme has already been accepted."))
    theme.status = Theme.Status.ACCEPTED
    theme.is_active = True
    theme.accepted_at = timezone.now()
    fields = ["status", "is_active", "accepted_at"]
    if meeting is not None:
        theme.chosen_at = meeting
        fields.append("chosen_at")
    theme.save(update_fields=[*fields, "updated_at"])
    cache.changed(theme, fields=fields)
    return theme


# --- Projects -----------------------------------------------------------------------------------


def _check_dates(starts_on: datetime.date, ends_on: datetime.date | None) -> None:
    if ends_on is not None and starts_on is not None and ends_on <= starts_on:
        raise ProjectsError(_("The end must be after the start."))


@transaction.atomic
def project_create(
    *,
    by,
    theme: Theme,
    title: str,
    summary: str,
    lead_institution: Institution,
    starts_on: datetime.date,
    goals: str = "",
    ends_on: datetime.date | None = None,
    status: str = Project.Status.PLANNED,
    institutions: Iterable[Institution] = (),
) -> Project:
    """Create a project; the creator (when she is a member) becomes its first coordinator, and the
    lead institution always participates."""
    _check_dates(starts_on, ends_on)
    if theme.status != Theme.Status.ACCEPTED or not theme.is_active:
        raise ProjectsError(_("Projects can only be started under an active theme."))
    project = Project.objects.create(
        theme=theme,
        title=title,
        summary=summary,
        goals=goals,
        lead_institution=lead_institution,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        created_by=by,
    )
    project.institutions.set({lead_institution, *institutions})
    member = getattr(by, "member", None)
    if member is not None:
        Participation.objects.create(project=project, member=member, is_coordinator=True)
    cache.changed(project)
    return project


PROJECT_FIELDS = {"theme", "title", "summary", "goals", "lead_institution", "starts_on", "ends_on", "status"}


@transaction.atomic
def project_update(*, project: Project, by, institutions: Iterable[Institution] | None = None, **fields) -> Project:
    unknown = set(fields) - PROJECT_FIELDS
    if unknown:
        raise TypeError(f"project_update: unknown fields {sorted(unknown)}")
    _check_dates(fields.get("starts_on", project.starts_on), fields.get("ends_on", project.ends_on))
    cache.changed(project)  # the institutions it leaves
    for name, value in fields.items():
        setattr(project, name, value)
    project.save(update_fields=[*fields, "updated_at"])
    if institutions is not None:
        project.institutions.set({project.lead_institution, *institutions})
    cache.changed(project, fields=fields)
    return project


@transaction.atomic
def participant_add(*, project: Project, by, member: Member, is_coordinator: bool = False) -> Participation:
    if not member.is_active_member:
        raise ProjectsError(_("Only members of the network can take part in a project."))
    try:
        with transaction.atomic():
            participation = Participation.objects.create(project=project, member=member, is_coordinator=is_coordinator)
    except IntegrityError:
        raise ProjectsError(_("%(member)s already takes part in this project.") % {"member": member}) from None
    if member.institution_id:
        project.institutions.add(member.institution_id)
    cache.changed(participation)
    return participation


@transaction.atomic
def partner_add(*, project: Project, by, name: str, kind: str) -> ExternalPartner:
    partner = ExternalPartner.objects.create(project=project, name=name.strip(), kind=kind)
    cache.changed(partner)
    return partner


@transaction.atomic
def link_add(*, project: Project, by, title: str, url: str) -> ProjectLink:
    link = ProjectLink.objects.create(project=project, title=title.strip(), url=url)
    cache.changed(link)
    return link


# --- Reporting rounds and reports ---------------------------------------------------------------


@transaction.atomic
def round_open(*, by, title: str, deadline: datetime.date, meeting=None) -> ReportingRound:
    if deadline < timezone.localdate():
        raise ProjectsError(_("The deadline cannot be in the past."))
    if meeting is not None and meeting.starts_at and timezone.localtime(meeting.starts_at).date() < deadline:
        raise ProjectsError(_("The deadline must be before the meeting the reports are for."))
    round_ = ReportingRound.objects.create(title=title, deadline=deadline, meeting=meeting, opened_by=by)
    cache.changed(round_)
    return round_


def report_start_refusal(*, project: Project) -> str:
    """Why the project cannot start a report ("" when it can): only active projects report."""
    if project.status != Project.Status.ACTIVE:
        status = project.get_status_display()
        return _("Only active projects report; this project is “%(status)s”.") % {"status": status}
    return ""


@transaction.atomic
def report_start(*, round: ReportingRound, project: Project, by) -> Report:
    """The project's report in the round: the existing one, or a new empty draft."""
    report = Report.objects.filter(round=round, project=project).first()
    if report is not None:
        return report
    refusal = report_start_refusal(project=project)
    if refusal:
        raise ProjectsError(refusal)
    report = Report.objects.create(round=round, project=project)
    cache.changed(report)  # a new draft: listed on its project's page and in its people's reports owed
    return report


REPORT_FIELDS = {"progress", "status", "status_reason", "learned", "next_steps", "outputs_since_last"}


@transaction.atomic
def report_save_draft(*, report: Report, by, **fields) -> Report:
    unknown = set(fields) - REPORT_FIELDS
    if unknown:
        raise TypeError(f"report_save_draft: unknown fields {sorted(unknown)}")
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_submitted:
        raise ProjectsError(_("This report has been submitted and can no longer be changed."))
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=[*fields, "updated_at"])
    cache.changed(report, fields=fields)  # its text: its own view only
    return report


def report_missing(*, progress: str, status: str, status_reason: str) -> list[str]:
    """The fields a submission still needs: the progress, and a reason unless the project is on track.
    The one statement of the rule: `report_submit` refuses an incomplete report with it, and
    ReportForm asks it to show what is missing on the fields."""
    missing = []
    if not (progress or "").strip():
        missing.append("progress")
    if status and status != Report.Progress.ON_TRACK and not (status_reason or "").strip():
        missing.append("status_reason")
    return missing


def _incomplete(missing: list[str]) -> str:
    names = ", ".join(str(Report._meta.get_field(name).verbose_name) for name in missing)
    return _("The report cannot be submitted yet: please fill in %(fields)s.") % {"fields": names}


def _check_complete(report: Report) -> None:
    missing = report_missing(progress=report.progress, status=report.status, status_reason=report.status_reason)
    if missing:
        raise ProjectsError(_incomplete(missing))


@transaction.atomic
def report_submit(*, report: Report, by) -> Report:
    report = Report.objects.select_for_update().select_related("round").get(pk=report.pk)
    if report.is_submitted:
        raise ProjectsError(_("This report has already been submitted."))
    _check_complete(report)
    report.state = Report.State.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    cache.changed(report, fields=["state", "submitted_at"])
    return report


@dataclass(frozen=True)
class ReportSaved:
    report: Report
    submitted: bool
    refusal: str = ""  # why the submission was refused; the draft is saved all the same
    missing: tuple[str, ...] = ()  # refused as incomplete: the fields it still needs (report_missing)
    not_allowed: bool = False  # refused because `by` may not submit (only a coordinator may)


def report_save(*, round: ReportingRound, project: Project, by, submit: bool, **fields) -> ReportSaved:
    """Save what was written as the project's report in the round (started if need be) and, when
    `submit`, hand it in. Two transactions on purpose: the draft is committed first, so a refused
    submission never loses what was written. A submission is refused, in this order, when the report
    is incomplete (`missing`), when `by` may not submit it (`not_allowed`; `by=None` is the system)
    or when it was submitted meanwhile; `refusal` says why. Raises ProjectsError only when the draft
    itself cannot be saved."""
    report = report_start(round=round, project=project, by=by)
    report = report_save_draft(report=report, by=by, **fields)
    if not submit:
        return ReportSaved(report=report, submitted=False)
    missing = report_missing(progress=report.progress, status=report.status, status_reason=report.status_reason)
    if missing:
        return ReportSaved(report=report, submitted=False, refusal=_incomplete(missing), missing=tuple(missing))
    if by is not None and not by.has_perm("projects.submit_report", report):
        refusal = _("Your draft is saved. Only a coordinator of the project can submit it.")
        return ReportSaved(report=report, submitted=False, refusal=refusal, not_allowed=True)
    try:
        return ReportSaved(report=report_submit(report=report, by=by), submitted=True)
    except ProjectsError as error:
        return ReportSaved(report=report, submitted=False, refusal=str(error))


@transaction.atomic
def report_reopen(*, report: Report, by) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_submitted:
        raise ProjectsError(_("This report is a draft already."))
    report.state = Report.State.DRAFT
    report.submitted_at = None
    report.submitted_by = None
    report.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    cache.changed(report, fields=["state", "submitted_at"])
    return report


# --- Outputs ------------------------------------------------------------------------------------

OUTPUT_FIELDS = {"type", "title", "authors", "year", "doi", "isbn", "url", "file", "spin_out"}


def _clean_output(output: Output) -> None:
    if output.spin_out_id and output.type != Output.Type.SPIN_OUT:
        raise ProjectsError(_("Only a spin-out output can point to a new project."))
    if output.spin_out_id and output.spin_out_id == output.project_id:
        raise ProjectsError(_("A spin-out must point to another project than its own."))
    try:
        output.full_clean(exclude=["project", "created_by", "spin_out"])
    except ValidationError as error:
        raise ProjectsError(" ".join(error.messages)) from None


@transaction.atomic
def output_create(*, project: Project, by, **fields) -> Output:
    unknown = set(fields) - OUTPUT_FIELDS
    if unknown:
        raise TypeError(f"output_create: unknown fields {sorted(unknown)}")
    output = Output(project=project, created_by=by, **fields)
    _clean_output(output)
    output.save()
    cache.changed(output)
    webhook_emit(event="output.added", obj=output)
    return output


@transaction.atomic
def output_update(*, output: Output, by, **fields) -> Output:
    unknown = set(fields) - OUTPUT_FIELDS
    if unknown:
        raise TypeError(f"output_update: unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(output, name, value)
    _clean_output(output)
    output.save()
    cache.changed(output)
    return output
