"""The secretariat's backoffice for themes, projects, rounds, reports and outputs."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import Theme
from network.admin import HTTPS_URLS
from network.cache.admin import InvalidatingAdminMixin

from . import services
from .models import ExternalPartner, Output, Participation, Project, ProjectLink, Report, ReportingRound, Uptake
from .resources import OutputResource


@admin.register(Theme)
class ThemeAdmin(InvalidatingAdminMixin, admin.ModelAdmin):
    list_display = ["name_sv", "name_en", "status", "is_active", "chosen_at"]
    list_filter = ["status", "is_active"]
    search_fields = ["name_sv__uicontains", "name_en__uicontains"]
    actions = ["accept"]

    @admin.action(description=_("Accept the selected themes"))
    def accept(self, request, queryset):
        for theme in queryset.filter(status=Theme.Status.PROPOSED):
            services.theme_accept(theme=theme, by=request.user)
        messages.success(request, _("Accepted."))


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["member"]


class PartnerInline(admin.TabularInline):
    model = ExternalPartner
    extra = 0


class LinkInline(admin.TabularInline):
    model = ProjectLink
    extra = 0
    formfield_overrides = HTTPS_URLS


@admin.register(Project)
class ProjectAdmin(InvalidatingAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "theme", "lead_institution", "status", "starts_on", "ends_on"]
    list_filter = ["theme", "status", "lead_institution"]
    list_select_related = ["theme", "lead_institution"]
    search_fields = ["title__uicontains", "summary__uicontains"]
    filter_horizontal = ["institutions"]
    inlines = [ParticipationInline, PartnerInline, LinkInline]


@admin.register(ReportingRound)
class ReportingRoundAdmin(InvalidatingAdminMixin, admin.ModelAdmin):
    list_display = ["title", "deadline", "meeting", "asks_uptake", "submitted_count", "draft_count"]
    list_select_related = ["meeting"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                submitted=Count("reports", filter=Q(reports__state=Report.State.SUBMITTED)),
                drafts=Count("reports", filter=Q(reports__state=Report.State.DRAFT)),
            )
        )

    @admin.display(description=_("submitted reports"), ordering="submitted")
    def submitted_count(self, obj):
        return obj.submitted

    @admin.display(description=_("drafts"), ordering="drafts")
    def draft_count(self, obj):
        return obj.drafts


@admin.register(Report)
class ReportAdmin(InvalidatingAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "round", "state", "status", "submitted_at"]
    list_filter = ["round", "state", "status"]
    list_select_related = ["project", "round"]
    search_fields = ["project__title__uicontains"]
    readonly_fields = ["submitted_at", "submitted_by"]
    actions = ["reopen"]

    @admin.action(description=_("Reopen the selected reports for changes"))
    def reopen(self, request, queryset):
        count = 0
        for report in queryset.filter(state=Report.State.SUBMITTED):
            services.report_reopen(report=report, by=request.user)
            count += 1
        messages.success(request, _("%(count)d reports reopened.") % {"count": count})


@admin.register(Output)
class OutputAdmin(InvalidatingAdminMixin, ExportMixin, SimpleHistoryAdmin):
    list_per_page = 25  # the site's page size (bench/run.py compares the two)
    resource_classes = [OutputResource]
    list_display = ["title", "type", "year", "project"]
    list_filter = ["type", "year", "project__theme"]
    list_select_related = ["project"]
    search_fields = ["title__uicontains", "authors__uicontains", "doi", "isbn"]
    autocomplete_fields = ["project", "spin_out"]
    formfield_overrides = HTTPS_URLS


@admin.register(Uptake)
class UptakeAdmin(InvalidatingAdminMixin, SimpleHistoryAdmin):
    """Uptake records: the secretariat's view of every institution's answers, with their history."""

    list_per_page = 25
    list_display = ["institution", "project", "output", "level", "starts_on", "round"]
    list_filter = ["level", "round", "institution__kind", "project__theme"]
    list_select_related = ["institution", "project", "output", "round"]
    search_fields = ["institution__name__uicontains", "project__title__uicontains", "output__title__uicontains"]
    autocomplete_fields = ["institution", "project", "output"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    formfield_overrides = HTTPS_URLS


from .importers import admin as importers_admin  # noqa: E402,F401 - registers the imports' model admins
