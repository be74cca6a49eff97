"""Views: permission -> form -> service -> message -> redirect."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView
from import_export.formats.base_formats import CSV, XLSX
from rules.contrib.views import PermissionRequiredMixin

from meetings import selectors as meeting_selectors
from meetings.models import Theme
from network import cache
from network.exports import dataset_response, table_response
from network.filenames import safe_download_name
from network.mixins import CachedListMixin, MemberRequiredMixin

from . import selectors, services
from .charts import bar_chart
from .coverage import coverage
from .filters import OutputFilter, UptakeFilter
from .forms import (
    CoverageFilterForm,
    LinkForm,
    OutputForm,
    ParticipantForm,
    PartnerForm,
    ProjectForm,
    ReportForm,
    RoundForm,
    ThemeAcceptForm,
    ThemeProposeForm,
    UptakeFollowUpForm,
    UptakeForm,
)
from .fragments import CATALOGUE, PROJECT_BODY, PROJECT_LIST, PROJECT_ROW
from .models import Output, Project, Report, ReportingRound, Uptake
from .resources import OutputResource
from .rules import is_staff


class PermissionMixin(MemberRequiredMixin, PermissionRequiredMixin):
    """Members only, then the object permission: anonymous -> login, a logged-in refusal -> 403."""


# --- Themes -------------------------------------------------------------------------------------


class ThemeListView(MemberRequiredMixin, ListView):
    template_name = "projects/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self):
        return (
            Theme.objects.select_related("chosen_at")
            .annotate(project_count=Count("projects", distinct=True))
            .order_by("-status", "name_sv")
        )


class ThemeProposeView(PermissionMixin, FormView):
    permission_required = "projects.propose_theme"
    template_name = "projects/theme_form.html"
    form_class = ThemeProposeForm

    def form_valid(self, form):
        try:
            theme = services.theme_propose(by=self.request.user, **form.cleaned_data)
        except services.ProjectsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, _("Thank you: “%(name)s” is proposed; the secretariat decides.") % {"name": theme}
        )
        return redirect("projects:theme_list")


class ThemeAcceptView(PermissionMixin, View):
    permission_required = "projects.accept_theme"
    http_method_names = ["post"]

    def post(self, request, pk):
        theme = get_object_or_404(Theme, pk=pk)
        form = ThemeAcceptForm(request.POST)
        meeting = form.cleaned_data.get("meeting") if form.is_valid() else None
        try:
            services.theme_accept(theme=theme, by=request.user, meeting=meeting)
        except services.ProjectsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The theme “%(name)s” is accepted.") % {"name": theme})
        return redirect("projects:theme_list")


# --- Projects -----------------------------------------------------------------------------------


class ProjectListView(MemberRequiredMixin, CachedListMixin, ListView):
    """Every project, by theme and status, 25 a page; the same for every member (a fragment)."""

    fragment = PROJECT_LIST
    template_name = "projects/project_list.html"
    context_object_name = "projects"
    paginate_by = 25

    def get_queryset(self):
        queryset = selectors.project_list().order_by("title")
        self.theme = self.request.GET.get("theme", "")
        self.status = self.request.GET.get("status", "")
        if self.theme.isdigit():
            queryset = queryset.filter(theme_id=self.theme)
        if self.status in Project.Status.values:
            queryset = queryset.filter(status=self.status)
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            themes=Theme.objects.accepted(),
            statuses=Project.Status.choices,
            theme=self.theme,
            status=self.status,
            **kwargs,
        )


class ProjectCreateView(PermissionMixin, FormView):
    permission_required = "projects.create_project"
    template_name = "projects/project_form.html"
    form_class = ProjectForm

    def get_initial(self):
        member = getattr(self.request.user, "member", None)
        initial = {"theme": self.request.GET.get("theme")}
        if member is not None and member.institution_id:
            initial["lead_institution"] = member.institution_id
        return initial

    def form_valid(self, form):
        try:
            project = services.project_create(by=self.request.user, **form.cleaned_data)
        except services.ProjectsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The project “%(title)s” is created.") % {"title": project})
        return redirect(project)


class ProjectObjectMixin:
    """The project of the URL (404 when there is none) as the permission object."""

    def get_project(self):
        if not hasattr(self, "_project"):
            self._project = get_object_or_404(Project.objects.select_related("theme"), pk=self.kwargs["pk"])
        return self._project

    def get_permission_object(self):
        return self.get_project()

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.get_project(), **kwargs)


class ProjectDetailView(MemberRequiredMixin, DetailView):
    """A project. What is the same for every member is kept as fragments until projects or
    institutions change; the participant's and coordinator's buttons are live."""

    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        pk = self.kwargs["pk"]
        # The versions of the row's and the page's fragments in one round trip (the template reads
        # its fragments' entries in one more: network/templatetags/fragments.py).
        cache.prefetch(*PROJECT_ROW.namespaces(pk=pk), *PROJECT_BODY.namespaces(project=pk))
        project = PROJECT_ROW.cached_row(selectors.project_detail(), pk=pk)
        if project is None:
            raise Http404
        return project

    def get_context_data(self, **kwargs):
        user = self.request.user
        project = self.object
        return super().get_context_data(
            parts=selectors.project_parts(project),
            can_edit=user.has_perm("projects.edit_project", project),
            can_add_output=user.has_perm("projects.add_output", project),
            can_start_report=user.has_perm("projects.start_report", project),
            can_record_uptake=user.has_perm("projects.record_uptake", project),
            open_rounds=ReportingRound.objects.order_by("-deadline")[:3]
            if project.status == Project.Status.ACTIVE
            else [],
            **kwargs,
        )


class ProjectUpdateView(ProjectObjectMixin, PermissionMixin, FormView):
    permission_required = "projects.edit_project"
    template_name = "projects/project_form.html"
    form_class = ProjectForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_project()}

    def get_initial(self):
        return {"institutions": list(self.get_project().institutions.values_list("pk", flat=True))}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        institutions = data.pop("institutions")
        project = Project.objects.get(pk=self.get_project().pk)  # the form changed the instance in memory
        try:
            services.project_update(project=project, by=self.request.user, institutions=institutions, **data)
        except services.ProjectsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The project is saved."))
        return redirect(project)


class ProjectAddMixin(ProjectObjectMixin, PermissionMixin):
    """A small form that adds one thing to a project through a service."""

    template_name = "projects/project_add_form.html"
    heading = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except services.ProjectsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.get_project())


class ParticipantAddView(ProjectAddMixin, FormView):
    permission_required = "projects.add_participant"
    form_class = ParticipantForm
    heading = gettext_lazy("Add a participant")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.get_project()}

    def perform(self, data):
        services.participant_add(project=self.get_project(), by=self.request.user, **data)


class PartnerAddView(ProjectAddMixin, FormView):
    permission_required = "projects.edit_project"
    form_class = PartnerForm
    heading = gettext_lazy("Add an external partner")

    def perform(self, data):
        services.partner_add(project=self.get_project(), by=self.request.user, **data)


class LinkAddView(ProjectAddMixin, FormView):
    permission_required = "projects.edit_project"
    form_class = LinkForm
    heading = gettext_lazy("Add a link")

    def perform(self, data):
        services.link_add(project=self.get_project(), by=self.request.user, **data)


# --- Reporting rounds ---------------------------------------------------------------------------


class RoundListView(MemberRequiredMixin, ListView):
    template_name = "projects/round_list.html"
    context_object_name = "rounds"

    def get_queryset(self):
        return ReportingRound.objects.select_related("meeting").annotate(
            submitted=Count("reports", filter=Q(reports__state=Report.State.SUBMITTED))
        )


class RoundCreateView(PermissionMixin, FormView):
    permission_required = "projects.open_round"
    template_name = "projects/round_form.html"
    form_class = RoundForm

    def form_valid(self, form):
        try:
            round_ = services.round_open(by=self.request.user, **form.cleaned_data)
        except services.ProjectsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The reporting round is open."))
        return redirect(round_)


class RoundDetailView(MemberRequiredMixin, DetailView):
    template_name = "projects/round_detail.html"
    context_object_name = "round"
    queryset = ReportingRound.objects.select_related("meeting")

    def get_context_data(self, **kwargs):
        answers = selectors.uptake_answers(self.object) if self.object.asks_uptake else None
        return super().get_context_data(
            overview=selectors.round_overview(self.object), uptake_answers=answers, **kwargs
        )


class RoundPackView(MemberRequiredMixin, DetailView):
    """The pre-read pack: every submitted report of the round on one printable page."""

    template_name = "projects/round_pack.html"
    context_object_name = "round"
    queryset = ReportingRound.objects.select_related("meeting", "meeting__host")

    def get_context_data(self, **kwargs):
        reports = list(selectors.round_submitted_reports(self.object))
        registered = selectors.registered_outputs_since_previous_round(self.object, [r.project_id for r in reports])
        for report in reports:
            report.registered_outputs = registered.get(report.project_id, [])
        return super().get_context_data(reports=reports, **kwargs)


class RoundPackDownloadView(RoundPackView):
    """The same pack as a standalone HTML file (styles inline) to save, mail or print."""

    template_name = "projects/round_pack_file.html"

    def render_to_response(self, context, **kwargs):
        html = render_to_string(self.template_name, context, request=self.request)
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        name = slugify(str(self.object)) or f"round-{self.object.pk}"
        response["Content-Disposition"] = f'attachment; filename="pre-read-{name}.html"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- Reports ------------------------------------------------------------------------------------


class ReportEditView(PermissionMixin, FormView):
    """Write the project's report in a round: participants save drafts, a coordinator submits
    (projects.services.report_save keeps the draft even when the submission is refused)."""

    template_name = "projects/report_form.html"
    form_class = ReportForm

    def dispatch(self, request, *args, **kwargs):
        self.round = get_object_or_404(ReportingRound, pk=kwargs["round_pk"])
        self.project = get_object_or_404(Project.objects.select_related("theme"), pk=kwargs["project_pk"])
        self.report = Report.objects.filter(round=self.round, project=self.project).first()
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self):
        user = self.request.user
        if self.report is None:
            if not user.has_perm("projects.start_report", self.project):
                raise Http404
            return True
        if not user.has_perm("projects.view_report", self.report):
            raise Http404
        return user.has_perm("projects.edit_report", self.report) or self.report.is_submitted

    def get(self, request, *args, **kwargs):
        refusal = services.report_start_refusal(project=self.project) if self.report is None else ""
        if refusal:
            messages.error(request, refusal)
            return redirect(self.project)
        if self.report is not None and self.report.is_submitted:
            messages.info(request, _("This report has been submitted and is read-only."))
            return redirect(self.report)
        return super().get(request, *args, **kwargs)

    def may_submit(self) -> bool:
        user = self.request.user
        return user.has_perm("projects.submit_report", self.report or Report(project=self.project))

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.report or Report(round=self.round, project=self.project),
            "submit": "submit" in self.request.POST,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            round=self.round, project=self.project, report=self.report, may_submit=self.may_submit(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        if self.report is not None and self.report.is_submitted:
            messages.error(request, _("This report has been submitted and can no longer be changed."))
            return redirect(self.report)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        form.refuse_submission()
        return super().form_invalid(form)

    def form_valid(self, form):
        # The service saves the draft whatever happens to the submission, and says why it refused one.
        try:
            saved = services.report_save(
                round=self.round, project=self.project, by=self.request.user, submit=form.submit, **form.cleaned_data
            )
        except services.ProjectsError as error:
            messages.error(self.request, str(error))
            form.refuse_submission()
            return self.render_to_response(self.get_context_data(form=form))
        self.report = saved.report
        if saved.missing:  # incomplete: the form shows what is missing on its fields
            return self.form_invalid(form)
        if saved.not_allowed:
            messages.error(self.request, saved.refusal)
        elif saved.refusal:
            form.add_error(None, saved.refusal)
            return self.render_to_response(self.get_context_data(form=form))
        elif saved.submitted:
            messages.success(self.request, _("The report is submitted. Thank you!"))
            return redirect(saved.report)
        else:
            messages.success(self.request, _("Your draft is saved."))
        return redirect("projects:report_edit", round_pk=self.round.pk, project_pk=self.project.pk)


class ReportDetailView(MemberRequiredMixin, DetailView):
    template_name = "projects/report_detail.html"
    context_object_name = "report"
    queryset = Report.objects.select_related("round", "project", "project__theme", "submitted_by")

    def get_object(self, queryset=None):
        report = super().get_object(queryset)
        if not self.request.user.has_perm("projects.view_report", report):
            raise Http404
        return report

    def get_context_data(self, **kwargs):
        user = self.request.user
        registered = selectors.registered_outputs_since_previous_round(self.object.round, [self.object.project_id])
        return super().get_context_data(
            registered_outputs=registered.get(self.object.project_id, []),
            can_edit=user.has_perm("projects.edit_report", self.object),
            can_reopen=user.has_perm("projects.reopen_report", self.object),
            **kwargs,
        )


class ReportReopenView(PermissionMixin, View):
    permission_required = "projects.reopen_report"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.report = get_object_or_404(Report, pk=self.kwargs["pk"])
        return self.report

    def post(self, request, pk):
        try:
            services.report_reopen(report=self.report, by=request.user)
        except services.ProjectsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The report is open for changes again."))
        return redirect(self.report)


# --- Outputs and the results catalogue ----------------------------------------------------------


class OutputListView(MemberRequiredMixin, CachedListMixin, FilterView):
    """The results catalogue: every output across projects; the same for every member, so kept as a
    fragment until projects or institutions change."""

    fragment = CATALOGUE
    template_name = "projects/output_list.html"
    filterset_class = OutputFilter
    context_object_name = "outputs"
    paginate_by = 25

    def get_queryset(self):
        return selectors.outputs_catalogue().order_by("-year", "title", "pk")


class OutputExportView(MemberRequiredMixin, View):
    """The catalogue (with the same filters) as CSV or Excel."""

    formats = {"csv": CSV, "xlsx": XLSX}

    def get(self, request):
        kind = request.GET.get("format", "csv")
        if kind not in self.formats:
            raise Http404
        filterset = OutputFilter(request.GET, queryset=selectors.outputs_catalogue().order_by("-year", "title", "pk"))
        queryset = filterset.qs if filterset.is_valid() else selectors.outputs_catalogue().none()
        return dataset_response(
            resource=OutputResource(), queryset=queryset, format_=self.formats[kind](), filename="kloss-results"
        )


class DashboardView(MemberRequiredMixin, TemplateView):
    """Results per theme, year, type and institution, report punctuality, and a summary of who came
    to the network meetings (the full register is meetings:participation). The figures and the
    rendered charts are kept in the cache until the data they count changes (projects/fragments.py:
    DASHBOARD, DASHBOARD_FIGURES; selectors.dashboard_figures)."""

    template_name = "projects/dashboard.html"

    def get_context_data(self, **kwargs):
        # Callables: the template only builds the charts and the register (who came to the meetings:
        # a fragment of its own) when they are not in the cache (projects/fragments.py).
        return super().get_context_data(
            charts=self.charts, participation=meeting_selectors.participation_summary, **kwargs
        )

    @staticmethod
    def charts() -> list:
        figures = selectors.dashboard_figures()
        return [
            bar_chart("per-theme", _("Outputs per theme"), figures["per_theme"]),
            bar_chart("per-year", _("Outputs per year"), figures["per_year"]),
            bar_chart("per-type", _("Outputs per type"), figures["per_type"]),
            bar_chart("per-institution", _("Projects per institution"), figures["per_institution"]),
            bar_chart(
                "punctuality",
                _("Report punctuality per round"),
                figures["punctuality"],
                series=(_("On time"), _("Late")),
            ),
        ]


class OutputDetailView(MemberRequiredMixin, DetailView):
    template_name = "projects/output_detail.html"
    context_object_name = "output"
    queryset = Output.objects.select_related("project", "project__theme", "spin_out")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            can_edit=user.has_perm("projects.edit_output", self.object),
            can_record_uptake=user.has_perm("projects.record_uptake", self.object),
            uptakes=selectors.uptakes_of_output(self.object),
            **kwargs,
        )


class OutputCreateView(ProjectObjectMixin, PermissionMixin, FormView):
    permission_required = "projects.add_output"
    template_name = "projects/output_form.html"
    form_class = OutputForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.get_project()}

    def form_valid(self, form):
        try:
            output = services.output_create(project=self.get_project(), by=self.request.user, **form.cleaned_data)
        except services.ProjectsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The output is registered."))
        return redirect(output)

    def get_context_data(self, **kwargs):
        return super().get_context_data(max_upload=settings.MAX_UPLOAD_SIZE, **kwargs)


class OutputUpdateView(PermissionMixin, FormView):
    permission_required = "projects.edit_output"
    template_name = "projects/output_form.html"
    form_class = OutputForm

    def get_output(self):
        if not hasattr(self, "_output"):
            self._output = get_object_or_404(Output.objects.select_related("project"), pk=self.kwargs["pk"])
        return self._output

    def get_permission_object(self):
        return self.get_output()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_output(), "project": self.get_output().project}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            project=self.get_output().project, output=self.get_output(), max_upload=settings.MAX_UPLOAD_SIZE, **kwargs
        )

    def form_valid(self, form):
        output = Output.objects.get(pk=self.get_output().pk)
        try:
            services.output_update(output=output, by=self.request.user, **form.cleaned_data)
        except services.ProjectsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The output is saved."))
        return redirect(output)


def attachment_response(file) -> FileResponse:
    """A stored file as a download, never rendered by the browser; 404 when there is none."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = safe_download_name(file.name)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


class OutputFileView(MemberRequiredMixin, View):
    """An output's file, for members only: always a download, never rendered by the browser."""

    def get(self, request, pk):
        return attachment_response(get_object_or_404(Output, pk=pk).file)


# --- Uptake: what the institutions did with the results -----------------------------------------


class UptakeCreateView(PermissionMixin, FormView):
    """Record what an institution did with a result: a project as a whole (`project_pk`) or an output
    (`output_pk`). A member records for her own institution; the secretariat chooses one. When her
    institution has recorded it already, she is taken to that record to change it."""

    permission_required = "projects.record_uptake"
    template_name = "projects/uptake_form.html"
    form_class = UptakeForm

    def dispatch(self, request, *args, **kwargs):
        if "output_pk" in kwargs:
            self.output = get_object_or_404(Output.objects.select_related("project"), pk=kwargs["output_pk"])
            self.project = self.output.project
        else:
            self.output = None
            self.project = get_object_or_404(Project, pk=kwargs["project_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.output or self.project

    @property
    def chooses_institution(self) -> bool:
        return is_staff(self.request.user)

    def own_institution(self):
        member = getattr(self.request.user, "member", None)
        return member.institution if member is not None else None

    def get(self, request, *args, **kwargs):
        if not self.chooses_institution:
            existing = Uptake.objects.filter(
                institution=self.own_institution(), project=self.project, output=self.output
            ).first()
            if existing is not None:
                messages.info(request, _("Your institution has recorded its uptake of this result: change it here."))
                return redirect("projects:uptake_update", pk=existing.pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"starts_on": timezone.localdate()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "choose_institution": self.chooses_institution}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            project=self.project,
            output=self.output,
            result=self.output or self.project,
            institution=None if self.chooses_institution else self.own_institution(),
            asking_round=selectors.uptake_round_open(),
            max_upload=settings.MAX_UPLOAD_SIZE,
            **kwargs,
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        institution = data.pop("institution", None) or self.own_institution()
        try:
            uptake = services.uptake_create(
                by=self.request.user, institution=institution, project=self.project, output=self.output, **data
            )
        except services.ProjectsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The uptake is recorded. Thank you for sharing it!"))
        return redirect(uptake)


class UptakeObjectMixin:
    """The uptake of the URL (404 when there is none) as the permission object."""

    def get_uptake(self) -> Uptake:
        if not hasattr(self, "_uptake"):
            self._uptake = get_object_or_404(selectors.uptake_list(), pk=self.kwargs["pk"])
        return self._uptake

    def get_permission_object(self):
        return self.get_uptake()

    def get_context_data(self, **kwargs):
        uptake = self.get_uptake()
        return super().get_context_data(
            uptake=uptake, project=uptake.project, output=uptake.output, result=uptake.result, **kwargs
        )


class UptakeUpdateView(UptakeObjectMixin, PermissionMixin, FormView):
    permission_required = "projects.edit_uptake"
    template_name = "projects/uptake_form.html"
    form_class = UptakeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_uptake()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            institution=self.get_uptake().institution,
            asking_round=selectors.uptake_round_open(),
            max_upload=settings.MAX_UPLOAD_SIZE,
            **kwargs,
        )

    def form_valid(self, form):
        uptake = Uptake.objects.get(pk=self.get_uptake().pk)  # the form changed the instance in memory
        try:
            services.uptake_update(uptake=uptake, by=self.request.user, **form.cleaned_data)
        except services.ProjectsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The uptake is saved."))
        return redirect(uptake)


class UptakeFollowUpView(UptakeObjectMixin, PermissionMixin, FormView):
    permission_required = "projects.edit_uptake"
    template_name = "projects/uptake_follow_up.html"
    form_class = UptakeFollowUpForm

    def get_initial(self):
        uptake = self.get_uptake()
        return {"follow_up": uptake.follow_up, "followed_up_on": uptake.followed_up_on or timezone.localdate()}

    def form_valid(self, form):
        uptake = self.get_uptake()
        try:
            services.uptake_follow_up(uptake=uptake, by=self.request.user, **form.cleaned_data)
        except services.ProjectsError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The follow-up is saved."))
        return redirect(uptake)


class UptakeDetailView(MemberRequiredMixin, DetailView):
    template_name = "projects/uptake_detail.html"
    context_object_name = "uptake"

    def get_queryset(self):
        return selectors.uptake_list().select_related("round", "created_by")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_edit=self.request.user.has_perm("projects.edit_uptake", self.object), **kwargs
        )


class UptakeEvidenceView(MemberRequiredMixin, View):
    """An uptake's evidence file, for members only: always a download."""

    def get(self, request, pk):
        return attachment_response(get_object_or_404(Uptake, pk=pk).evidence_file)


class UptakeListView(MemberRequiredMixin, FilterView):
    """Every uptake record in the network, 25 a page, with filters."""

    template_name = "projects/uptake_list.html"
    filterset_class = UptakeFilter
    context_object_name = "uptakes"
    paginate_by = 25

    def get_queryset(self):
        return selectors.uptake_list().order_by("-starts_on", "pk")

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(query=query.urlencode(), **kwargs)


class CoverageMixin:
    """The coverage table of the request's filters (CoverageFilterForm), or None when they are wrong."""

    def get_coverage(self):
        self.form = CoverageFilterForm(self.request.GET or None)
        if self.request.GET and not self.form.is_valid():
            return None
        data = self.form.cleaned_data if self.request.GET else {}
        return coverage(starts_on=data.get("starts_on"), ends_on=data.get("ends_on"), kind=data.get("kind") or "")


class CoverageView(MemberRequiredMixin, CoverageMixin, TemplateView):
    """Theme x institution: who takes part, who has taken up the results, who has done neither. The
    table first; a chart of the same figures below it."""

    template_name = "projects/coverage.html"

    def get_context_data(self, **kwargs):
        table = self.get_coverage()
        chart = None
        if table is not None:
            chart = bar_chart(
                "coverage",
                _("Institutions per theme"),
                [(row.theme.name, row.participating, row.taken_up_only) for row in table.rows],
                series=(_("take part in its projects"), _("took up its results without taking part")),
            )
        query = self.request.GET.urlencode()
        return super().get_context_data(coverage=table, chart=chart, form=self.form, query=query, **kwargs)


class CoverageExportView(MemberRequiredMixin, CoverageMixin, View):
    """The coverage table as CSV or Excel: one row per theme and institution, with the same filters."""

    formats = {"csv": CSV, "xlsx": XLSX}

    def get(self, request):
        kind = request.GET.get("format", "csv")
        if kind not in self.formats:
            raise Http404
        table = self.get_coverage()
        if table is None:
            raise Http404
        header = [
            _("Theme"),
            _("Institution"),
            _("Kind of institution"),
            _("Takes part"),
            _("Uptake level"),
            _("Uptake records"),
            _("Coverage"),
        ]
        rows = [
            [
                row.theme.name,
                institution.name,
                institution.get_kind_display(),
                _("yes") if cell.participates else _("no"),
                cell.level_label,
                cell.uptakes,
                cell.describe(),
            ]
            for row in table.rows
            for institution, cell in zip(table.institutions, row.cells, strict=True)
        ]
        return table_response(header=header, rows=rows, format_=self.formats[kind](), filename="kloss-coverage")
