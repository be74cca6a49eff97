"""Date polls in the backoffice: read only (the site's forms and services open, answer and close them)."""

from django.contrib import admin

from .models import DatePoll, DatePollAnswer, DatePollSlot


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DatePollSlotInline(ReadOnlyMixin, admin.TabularInline):
    model = DatePollSlot
    extra = 0
    fields = ["starts_at", "ends_at"]


@admin.register(DatePoll)
class DatePollAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["meeting", "status", "answers_until", "created_by", "closed_at"]
    list_filter = ["status"]
    list_select_related = ["meeting", "created_by"]
    search_fields = ["meeting__title", "note"]
    inlines = [DatePollSlotInline]


@admin.register(DatePollAnswer)
class DatePollAnswerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["member", "slot", "choice", "answered_at"]
    list_filter = ["choice"]
    list_select_related = ["member__user", "slot"]
    search_fields = ["member__user__last_name", "member__user__email"]
