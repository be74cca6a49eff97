"""The backoffice of proposals: the list, the votes and comments (read only: they are the members'),
and "close now" as an action that calls the service. Imported by meetings/admin.py."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Proposal, ProposalComment, Vote


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VoteInline(_ReadOnlyInline):
    model = Vote
    fields = ["member", "institution", "choice", "reason", "cast_at", "updated_at"]
    readonly_fields = fields


class CommentInline(_ReadOnlyInline):
    model = ProposalComment
    fields = ["author", "text", "created_at"]
    readonly_fields = fields


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_per_page = 25
    list_display = ["title", "audience", "deadline", "status", "outcome", "meeting"]
    list_filter = ["audience", "status", "outcome"]
    list_select_related = ["meeting"]
    search_fields = ["title__uicontains", "text__uicontains"]
    autocomplete_fields = ["meeting"]
    readonly_fields = ["status", "outcome", "tally", "proposed_by", "closed_by", "created_at", "closed_at"]
    inlines = [VoteInline, CommentInline]
    actions = ["close_now"]

    def has_add_permission(self, request):
        return False  # proposed on the site, where those entitled to vote are told

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.is_open:
            # What was voted on, by whom, by when: fixed once its decision is recorded.
            fields += ["audience", "title", "text", "deadline", "quorum", "meeting"]
        return fields

    @admin.action(description=_("Close the selected proposals now and record their outcome"))
    def close_now(self, request, queryset):
        closed = 0
        for proposal in queryset.open():
            try:
                closed += services.proposal_close(proposal=proposal, by=request.user).closed_now
            except services.ProposalError as error:
                self.message_user(request, f"{proposal}: {error.message}", messages.ERROR)
        self.message_user(
            request, ngettext("%(n)d proposal closed.", "%(n)d proposals closed.", closed) % {"n": closed}
        )
