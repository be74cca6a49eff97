from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Institution, Member


class SignupExtraForm(forms.Form):
    """Extra signup fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS): name, title, institution, privacy."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. Vicerektor för samverkan"))
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.current_members(), empty_label=_("Choose…")
    )
    accept_privacy = forms.BooleanField(label=_("I have read and accept the privacy notice"), required=True)

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        Member.objects.create(
            user=user,
            institution=self.cleaned_data["institution"],
            title=self.cleaned_data["title"],
            language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            privacy_version=settings.PRIVACY_NOTICE_VERSION,
            privacy_accepted_at=timezone.now(),
        )
