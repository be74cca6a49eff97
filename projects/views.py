"""Views: permission -> form -> service -> message -> redirect."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
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
from network.exports import dataset_response
from network.filenames import safe_download_name
from network.mixins import CachedListMixin, MemberRequiredMixin

from . import selectors, services
from .charts import bar_chart
from .filters import OutputFilter
from .forms import (
    LinkForm,
    OutputForm,
    ParticipantForm,
    PartnerForm,
    ProjectForm,
    ReportForm,
    RoundForm,
    ThemeAcceptForm,
    ThemeProposeForm,
)
from .fragments import CATALOGUE, PROJECT_BODY, PROJECT_LIST, PROJECT_ROW
from .models import Output, Project, Report, ReportingRound
from .resources import OutputResource


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
        return super().get_context_data(overview=selectors.round_overview(self.object), **kwargs)


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
        return super().get_context_data(
            can_edit=self.request.user.has_perm("projects.edit_output", self.object), **kwargs
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


class OutputFileView(MemberRequiredMixin, View):
    """An output's file, for members only: always a download, never rendered by the browser."""

    def get(self, request, pk):
        output = get_object_or_404(Output, pk=pk)
        if not output.file:
            raise Http404
        try:
            handle = output.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        name = safe_download_name(output.file.name)
        response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        return response
