"""The backoffice's view of the minutes: read only. They are written, circulated, approved and
published on the site (meetings/minutes/services.py), where every change is a version and the
participants are told; an edit here would bypass both."""

from django.contrib import admin

from network.cache.admin import InvalidatingAdminMixin

from ..models import Minutes, MinutesComment, MinutesItem, MinutesVersion


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MinutesItemInline(_ReadOnlyInline):
    model = MinutesItem
    fields = readonly_fields = ["position", "title", "text"]


class MinutesCommentInline(_ReadOnlyInline):
    model = MinutesComment
    fields = readonly_fields = ["created_at", "author", "item", "version", "text"]


class MinutesVersionInline(_ReadOnlyInline):
    model = MinutesVersion
    fields = readonly_fields = ["number", "created_at", "created_by", "reason", "status"]


@admin.register(Minutes)
class MinutesAdmin(InvalidatingAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "status", "comment_deadline", "approved_at", "approved_at_meeting", "published_at"]
    list_filter = ["status", "meeting__kind", "meeting__year"]
    search_fields = ["meeting__title"]
    list_select_related = ["meeting", "approved_at_meeting"]
    inlines = [MinutesItemInline, MinutesCommentInline, MinutesVersionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
