from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Institution, InstitutionDomain, Member, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class InstitutionDomainInline(admin.TabularInline):
    model = InstitutionDomain
    extra = 1


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "joined_on", "left_on"]
    search_fields = ["name", "short_name", "domains__domain"]
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = [InstitutionDomainInline]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "institution", "title", "status", "applied_at"]
    list_filter = ["status", "institution"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user", "institution"]
    raw_id_fields = ["user"]


from . import admin_outbox  # noqa: E402,F401  (the delivery log; its own file)
