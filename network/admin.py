from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from network.cache.admin import InvalidatingAdminMixin

from . import services
from .audit import audit_seat, audit_staff_change
from .exports import EscapedResource
from .models import Institution, InstitutionDomain, LeadershipTerm, Member, SteeringGroupSeat, User
from .selectors import domain_is_member, member_domains

# Every admin form with a web address: one typed without a scheme is taken as https:// (the meetings'
# and projects' admin use it too).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(User)
class UserAdmin(InvalidatingAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name__uicontains", "last_name__uicontains"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_model(self, request, obj, form, change):
        # The flags as the form found them: no extra query (the audit trail records the change).
        before = {name: bool(form.initial.get(name, False)) for name in ("is_staff", "is_superuser")}
        super().save_model(request, obj, form, change)
        audit_staff_change(user=obj, before=before, actor=request.user)


class InstitutionDomainInline(admin.TabularInline):
    model = InstitutionDomain
    extra = 1


class MembershipFilter(admin.SimpleListFilter):
    title = _("membership")
    parameter_name = "membership"

    def lookups(self, request, model_admin):
        return [("current", _("Members")), ("former", _("Former members")), ("never", _("Never members"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.current_members()
        if self.value() == "former":
            return queryset.filter(left_on__lte=today)
        if self.value() == "never":
            return queryset.filter(Q(joined_on__isnull=True) | Q(joined_on__gt=today))
        return queryset


@admin.register(Institution)
class InstitutionAdmin(InvalidatingAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "city", "joined_on", "left_on"]
    list_filter = [MembershipFilter, "kind"]
    search_fields = ["name__uicontains", "name_en__uicontains", "short_name__uicontains", "domains__domain"]
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = [InstitutionDomainInline]
    formfield_overrides = HTTPS_URLS


class MemberResource(EscapedResource):
    name = fields.Field(attribute="full_name", column_name=_("name"))
    email = fields.Field(attribute="user__email", column_name=_("email"))
    institution = fields.Field(attribute="institution__name", column_name=_("institution"))

    class Meta:
        model = Member
        fields = ["name", "email", "institution", "title", "role", "phone", "status", "language", "applied_at"]
        export_order = fields


@admin.register(Member)
class MemberAdmin(InvalidatingAdminMixin, ExportMixin, SimpleHistoryAdmin):
    list_per_page = 25  # the site's page size (bench/run.py compares the two)
    resource_classes = [MemberResource]
    list_display = ["__str__", "email_with_flag", "institution", "title", "status", "applied_at"]
    list_filter = ["status", "institution", ("applied_at", admin.DateFieldListFilter)]
    search_fields = ["user__email", "user__first_name__uicontains", "user__last_name__uicontains", "title__uicontains"]
    list_select_related = ["user", "institution"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "status",
        "applied_at",
        "decided_at",
        "decided_by",
        "privacy_version",
        "privacy_accepted_at",
        "left_at",
    ]
    actions = ["approve", "reject"]

    def get_queryset(self, request):
        self._domains = member_domains()
        return super().get_queryset(request)

    @admin.display(description=_("email"), ordering="user__email")
    def email_with_flag(self, obj):
        domains = getattr(self, "_domains", None) or member_domains()
        if domain_is_member(obj.user.email, domains):
            return obj.user.email
        # Not an f-string: makemessages cannot see a gettext call inside one.
        return _("%(email)s ⚠ domain of no member institution") % {"email": obj.user.email}

    def _decide(self, request, queryset, service, done):
        count = 0
        for member in queryset.select_related("user"):
            try:
                service(member=member, by=request.user)
            except services.MembershipError as error:
                self.message_user(request, f"{member}: {error}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected applications"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, services.member_approve, _("%(count)s approved; the emails are on their way."))

    @admin.action(description=_("Reject the selected applications"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, services.member_reject, _("%(count)s rejected; the emails are on their way."))


class LeadershipTermForm(forms.ModelForm):
    class Meta:
        model = LeadershipTerm
        fields = ["institution", "starts_on", "ends_on"]

    def clean(self):
        cleaned_data = super().clean()
        term = LeadershipTerm(
            pk=self.instance.pk, starts_on=cleaned_data.get("starts_on"), ends_on=cleaned_data.get("ends_on")
        )
        if term.starts_on and term.overlapping().exists():
            raise forms.ValidationError(_("This term overlaps another leadership term."))
        return cleaned_data


@admin.register(LeadershipTerm)
class LeadershipTermAdmin(InvalidatingAdminMixin, SimpleHistoryAdmin):
    form = LeadershipTermForm
    list_display = ["institution", "starts_on", "ends_on"]
    list_select_related = ["institution"]
    autocomplete_fields = ["institution"]


@admin.register(SteeringGroupSeat)
class SteeringGroupSeatAdmin(InvalidatingAdminMixin, SimpleHistoryAdmin):
    list_display = ["member", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
    list_select_related = ["member__user", "member__institution"]
    raw_id_fields = ["member"]
    search_fields = ["member__user__first_name__uicontains", "member__user__last_name__uicontains"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_seat(seat=obj, created=not change, actor=request.user)


# The rooms' own admin modules: the audit trail, API tokens, messages to members, the delivery log.
from . import admin_audit  # noqa: E402,F401
from .api import admin as api_admin  # noqa: E402,F401
from .messages import admin as messages_admin  # noqa: E402,F401
from .outbox import admin as outbox_admin  # noqa: E402,F401
from .webhooks import admin as webhooks_admin  # noqa: E402,F401
