"""API tokens in the backoffice: issue one (its secret is shown once, on the page that follows),
see when each was last used, revoke (an action that calls the service). Nothing else of a token
can be changed but its note: a different scope or institution is a new token."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network.models import ApiToken, Institution

from . import services

DEFAULT_LIFETIME = datetime.timedelta(days=365)


class ApiTokenIssueForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.current_members(),
        required=False,
        empty_label=_("The network as a whole"),
        help_text=_("The token sees what a member of this institution sees."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ_PUBLIC)
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        initial=lambda: timezone.localtime() + DEFAULT_LIFETIME,
    )
    note = forms.CharField(label=_("Note"), max_length=200, help_text=_("What it is for, and who asked for it."))

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["__str__", "holder", "scope", "created_at", "expires_at", "last_used_at", "state"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter), "institution"]
    list_select_related = ["institution"]
    search_fields = ["note", "key_start", "institution__name"]
    fields = [
        "institution",
        "scope",
        "note",
        "key_start",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    readonly_fields = [name for name in fields if name != "note"]
    actions = ["revoke"]

    @admin.display(description=_("for"))
    def holder(self, token: ApiToken) -> str:
        return token.institution.name if token.institution_id else _("The network as a whole")

    @admin.display(description=_("state"))
    def state(self, token: ApiToken) -> str:
        if token.is_revoked:
            return _("Revoked")
        return _("Active") if token.is_usable() else _("Expired")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the row says who had access, and until when

    def add_view(self, request, form_url="", extra_context=None):
        """Issue a token (the service) and show its secret this once."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiTokenIssueForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Issue an API token"),
        }
        if request.method == "POST" and form.is_valid():
            issued = services.api_token_issue(by=request.user, **form.cleaned_data)
            context.update(title=_("The API token is issued"), issued=issued)
            return TemplateResponse(request, "admin/network/apitoken/issued.html", context)
        return TemplateResponse(request, "admin/network/apitoken/issue.html", {**context, "form": form})

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        revoked = sum(services.api_token_revoke(token=token, by=request.user) for token in queryset)
        messages.success(
            request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked) % {"count": revoked}
        )
