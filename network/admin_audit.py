"""The audit trail in the admin: the secretariat reads it; nobody adds, edits or deletes an event."""

from django.contrib import admin

from .audit import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "actor", "target"]
    list_filter = ["kind", "at"]
    search_fields = ["target__uicontains", "actor__email"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    readonly_fields = ["at", "kind", "actor", "target", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
