"""The backoffice's view of imports: where each imported output came from, and the batch jobs.
Read-only: imports are made on the import page (projects:output_import), through the services."""

from django.contrib import admin

from .models import ImportJob, ImportJobItem, OutputSource


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutputSource)
class OutputSourceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["output", "source", "identifier", "imported_at", "imported_by"]
    list_filter = ["source"]
    list_select_related = ["output", "imported_by"]
    search_fields = ["identifier", "output__title"]
    date_hierarchy = "imported_at"


class ImportJobItemInline(ReadOnlyMixin, admin.TabularInline):
    model = ImportJobItem
    fields = ["position", "identifier", "result", "error_code", "output", "finished_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["project", "source", "status", "created_by", "created_at", "finished_at"]
    list_filter = ["source", "status"]
    list_select_related = ["project", "created_by"]
    search_fields = ["project__title"]
    inlines = [ImportJobItemInline]
