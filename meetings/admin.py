"""The backoffice: meetings (filters, agenda and documents inline, history), the rotation planner,
declines and attendance lists with CSV export."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from network.admin import HTTPS_URLS
from network.cache.admin import InvalidatingAdminMixin
from network.exports import csv_response

from . import rotation, selectors, services
from .forms import OverrideForm, PlanForm, SwapForm
from .models import Action, AgendaItem, Attendance, Decision, HostDecline, Meeting, MeetingDocument


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "starts_at", "ends_at", "title", "presenter"]


class MeetingDocumentInline(admin.TabularInline):
    """Uploads go through the site's checked upload form; here the secretariat sees and removes them."""

    model = MeetingDocument
    extra = 0
    fields = ["kind", "title", "download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["download", "content_type", "size", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


class HostDeclineInline(admin.TabularInline):
    model = HostDecline
    extra = 0
    fields = ["institution", "reason", "declined_by", "created_at"]
    readonly_fields = ["declined_by", "created_at"]


@admin.register(Meeting)
class MeetingAdmin(InvalidatingAdminMixin, SimpleHistoryAdmin):
    list_per_page = 25  # the site's page size (bench/run.py compares the two)
    list_display = ["__str__", "host", "status", "starts_at", "venue", "explanation"]
    list_filter = ["kind", "status", "format", "season", "year", "host"]
    formfield_overrides = HTTPS_URLS
    list_select_related = ["host"]
    search_fields = ["title__uicontains", "venue__uicontains", "host__name__uicontains", "host__short_name__uicontains"]
    inlines = [AgendaItemInline, MeetingDocumentInline, HostDeclineInline]
    readonly_fields = ["sequence", "explanation"]
    actions = ["plan_next_eight"]
    history_list_display = ["status", "host", "starts_at"]
    change_list_template = "admin/meetings/meeting/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        # Status and host change through the services (legal moves, planner, history), not by hand.
        fixed = ["status", "host"] if obj is not None else []
        return [*self.readonly_fields, *fixed]

    def save_model(self, request, obj, form, change):
        moved = {"starts_at", "ends_at", "venue", "address", "format", "video_link"} & set(form.changed_data)
        if change and moved and obj.status == Meeting.Status.SCHEDULED:
            obj.sequence += 1  # calendars and reminders must see the change
        super().save_model(request, obj, form, change)

    @admin.display(description=_("why this host"))
    def explanation(self, obj):
        return rotation.explain(obj.rotation_reason, gettext, ngettext) if obj.rotation_reason else ""

    @admin.action(
        description=_("Plan the rotation for the next 8 slots (confirmed hosts stay)"), permissions=["change"]
    )
    def plan_next_eight(self, request, queryset):
        planned = services.rotation_plan(count=8, by=request.user)
        self.message_user(request, _("Planned %(count)d slots.") % {"count": len(planned)}, messages.SUCCESS)

    def get_urls(self):
        return [
            path("planner/", self.admin_site.admin_view(self.planner_view), name="meetings_meeting_planner"),
            *super().get_urls(),
        ]

    def planner_view(self, request):
        """Preview the plan for N slots, apply it, override a host, swap two slots."""
        if not self.has_change_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        plan_form = PlanForm(request.GET or None)
        count = plan_form.cleaned_data["slots"] if plan_form.is_valid() else 8
        override_form, swap_form = OverrideForm(), SwapForm()
        if request.method == "POST":
            action = request.POST.get("action")
            try:
                if action == "apply":
                    apply_form = PlanForm(request.POST)
                    if apply_form.is_valid():
                        services.rotation_plan(count=apply_form.cleaned_data["slots"], by=request.user)
                        self.message_user(request, _("The rotation plan is saved."), messages.SUCCESS)
                        return HttpResponseRedirect(request.get_full_path())
                elif action == "override":
                    override_form = OverrideForm(request.POST)
                    if override_form.is_valid():
                        services.meeting_override_host(by=request.user, **override_form.cleaned_data)
                        self.message_user(request, _("The host is changed."), messages.SUCCESS)
                        return HttpResponseRedirect(request.get_full_path())
                elif action == "swap":
                    swap_form = SwapForm(request.POST)
                    if swap_form.is_valid():
                        services.meeting_swap_hosts(by=request.user, **swap_form.cleaned_data)
                        self.message_user(request, _("The hosts are swapped."), messages.SUCCESS)
                        return HttpResponseRedirect(request.get_full_path())
            except services.MeetingError as error:
                self.message_user(request, error.message, messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Rotation planner"),
            "plan_form": plan_form if plan_form.is_bound else PlanForm(initial={"slots": count}),
            "count": count,
            "planned": selectors.rotation_preview(count=count),
            "override_form": override_form,
            "swap_form": swap_form,
        }
        return TemplateResponse(request, "admin/meetings/meeting/planner.html", context)


@admin.register(HostDecline)
class HostDeclineAdmin(InvalidatingAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "institution", "declined_by", "created_at"]
    list_filter = ["institution", "meeting__year"]
    list_select_related = ["meeting", "institution", "declined_by"]


@admin.register(Attendance)
class AttendanceAdmin(InvalidatingAdminMixin, admin.ModelAdmin):
    list_display = ["member", "institution", "meeting", "status", "dietary_needs", "stand_in_for", "responded_at"]
    list_filter = ["meeting", "status"]
    list_select_related = ["member__user", "member__institution", "meeting", "stand_in_for__user"]
    search_fields = [
        "member__user__email",
        "member__user__first_name__uicontains",
        "member__user__last_name__uicontains",
    ]
    raw_id_fields = ["member", "stand_in_for"]
    actions = ["export_csv"]

    @admin.display(description=_("institution"))
    def institution(self, obj):
        return obj.member.institution

    @admin.action(description=_("Export the selected answers as CSV"))
    def export_csv(self, request, queryset):
        return csv_response(
            filename="attendances.csv",
            header=[
                gettext("Meeting"),
                gettext("Name"),
                gettext("Email"),
                gettext("Institution"),
                gettext("Answer"),
                gettext("Dietary needs"),
                gettext("Remarks"),
            ],
            rows=(
                [
                    str(row.meeting),
                    row.member.full_name,
                    row.member.email,
                    row.member.institution or "",
                    row.get_status_display(),
                    row.dietary_needs,
                    row.remarks,
                ]
                for row in queryset.select_related("meeting", "member__user", "member__institution")
            ),
        )


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(InvalidatingAdminMixin, admin.ModelAdmin):
    list_display = ["title", "meeting", "kind", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "meeting__year"]
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False  # uploads go through the checked upload form of the meeting page


# --- Decisions and actions ----------------------------------------------------------------------


@admin.register(Decision)
class DecisionAdmin(InvalidatingAdminMixin, SimpleHistoryAdmin):
    list_per_page = 25
    list_display = ["__str__", "meeting", "theme", "created_at"]
    list_filter = ["theme", "meeting__year", "meeting__season"]
    list_select_related = ["meeting", "theme"]
    search_fields = ["text_sv__uicontains", "text_en__uicontains", "meeting__title__uicontains"]
    autocomplete_fields = ["meeting"]
    readonly_fields = ["recorded_by", "created_at", "proposal"]  # a proposal records its own decision


@admin.register(Action)
class ActionAdmin(InvalidatingAdminMixin, SimpleHistoryAdmin):
    list_per_page = 25
    list_display = ["__str__", "owner_name", "meeting", "due_on", "due_meeting", "status"]
    list_filter = ["status", "theme", "owner_institution", "meeting__year"]
    list_select_related = ["meeting", "due_meeting", "owner_member__user", "owner_institution"]
    search_fields = [
        "text__uicontains",
        "outcome__uicontains",
        "owner_member__user__last_name__uicontains",
        "owner_member__user__email",
        "owner_institution__name__uicontains",
    ]
    autocomplete_fields = ["meeting", "due_meeting", "decision", "owner_member", "owner_institution"]
    readonly_fields = ["recorded_by", "created_at", "closed_at"]
    actions = ["mark_done", "mark_open"]

    @admin.display(description=_("owner"))
    def owner_name(self, obj):
        return obj.owner_name

    def _set_status(self, request, queryset, status: str) -> None:
        changed = 0
        for action in queryset:
            if action.status == status:
                continue
            try:
                services.action_set_status(action=action, by=request.user, status=status, outcome=action.outcome)
            except services.MeetingError as error:
                self.message_user(request, f"{action}: {error.message}", messages.ERROR)
                continue
            changed += 1
        self.message_user(
            request, ngettext("%(n)d action changed.", "%(n)d actions changed.", changed) % {"n": changed}
        )

    @admin.action(description=_("Mark the selected actions as done"))
    def mark_done(self, request, queryset):
        self._set_status(request, queryset, Action.Status.DONE)

    @admin.action(description=_("Open the selected actions again"))
    def mark_open(self, request, queryset):
        self._set_status(request, queryset, Action.Status.OPEN)


# Date polls (meetings/polls/admin.py): registered with the rest of the meetings app's backoffice.
# The minutes (meetings/minutes/admin.py).
from .minutes import admin as minutes_admin  # noqa: E402, F401
from .polls import admin as _date_poll_admin  # noqa: E402,F401
from .proposals import admin as _proposals_admin  # noqa: E402,F401 - registers the proposals' admin (issue 27)
