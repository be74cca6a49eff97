from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Institution, Member


class PkMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a choice that is not a 64-bit integer before it reaches the database (SQLite raised
    OverflowError on `pk__in=[9223372036854775808]`, a server error found by the fuzzer)."""

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                if not -(2**63) <= int(str(pk)) < 2**63:
                    raise ValueError
            except (TypeError, ValueError):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                ) from None
        return super().clean(value)


class SignupExtraForm(forms.Form):
    """Extra signup fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS): name, title, institution, privacy.

    Validation only: the adapter's `save_user` hands the cleaned data to `services.member_register`.
    The institution may be left blank: it is then taken from the email domain (`@mau.se` -> Malmö
    universitet); a domain of no member institution asks her to choose.
    """

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. Vicerektor för samverkan"))
    role = forms.ChoiceField(label=_("Role"), choices=Member.Role.choices, initial=Member.Role.VICE_RECTOR)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.current_members(),
        required=False,
        empty_label=_("Suggest from my email address"),
        help_text=_("Leave as suggested to use the institution of your email domain."),
    )
    accept_privacy = forms.BooleanField(label=_("I have read and accept the privacy notice"), required=True)

    def clean(self):
        # Function-level import: services imports models only, but keep forms free of import cycles.
        from .services import institution_for_email

        cleaned_data = super().clean()
        email = cleaned_data.get("email") or ""
        suggested = institution_for_email(email) if email else None
        self.suggested_institution = suggested
        self.domain_is_member = suggested is not None
        if not cleaned_data.get("institution"):
            if suggested is not None:
                cleaned_data["institution"] = suggested
            elif email:
                self.add_error(
                    "institution",
                    _(
                        "Your email domain belongs to no member institution. Choose your institution; "
                        "the secretariat will check your application."
                    ),
                )
        return cleaned_data

    def signup(self, request, user) -> None:
        """Required by allauth; the Member row is created by the adapter through the service."""


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["title", "phone", "language", "optional_reminders"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note to the applicant (optional)"), required=False, widget=forms.Textarea)


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class ConfirmLeaveForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, I want to leave the network"), required=True)
