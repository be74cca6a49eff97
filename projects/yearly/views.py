"""The yearly report's page (ask for a report, follow its generation, download the kept ones) and the
protected download. Staff and the steering group only (projects.view_yearly_reports)."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from network.mixins import MemberRequiredMixin

from ..views import PermissionMixin
from . import services
from .forms import YearlyReportForm
from .models import YearlyReport

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# The page lists the latest reports kept; older ones stay in the admin.
LISTED = 30


class YearlyReportView(PermissionMixin, FormView):
    permission_required = "projects.view_yearly_reports"
    template_name = "projects/yearly/yearly_report.html"
    form_class = YearlyReportForm

    def get_initial(self):
        return {"year": timezone.localdate().year - 1, "language": (get_language() or "sv")[:2]}

    def get_context_data(self, **kwargs):
        reports = list(YearlyReport.objects.select_related("requested_by")[:LISTED])
        return super().get_context_data(
            reports=reports, pending=[r for r in reports if r.is_pending and not r.is_stuck], **kwargs
        )

    def form_valid(self, form):
        try:
            report = services.yearly_report_request(by=self.request.user, **form.cleaned_data)
        except services.YearlyReportError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The report for %(year)d is being generated. This page shows when it is ready.") % {"year": report.year},
        )
        return redirect("projects:yearly_report")


class YearlyReportDownloadView(MemberRequiredMixin, View):
    """A kept report's PDF or Word file: never from a public URL, always as an attachment."""

    def get(self, request, pk, extension):
        if extension not in CONTENT_TYPES or not request.user.has_perm("projects.view_yearly_reports"):
            raise Http404
        report = get_object_or_404(YearlyReport, pk=pk, state=YearlyReport.State.DONE)
        stored = report.pdf if extension == "pdf" else report.docx
        if not stored:
            raise Http404
        try:
            handle = stored.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle, as_attachment=True, filename=report.download_name(extension), content_type=CONTENT_TYPES[extension]
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
