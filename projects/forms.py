"""Forms validate only; the views hand cleaned data to the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import Theme
from network.forms import PkMultipleChoiceField
from network.models import Institution, Member

from . import services
from .models import ExternalPartner, Output, Project, Report, ReportingRound
from .validators import normalise_doi, normalise_isbn, validate_upload


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ThemeProposeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name_sv", "name_en", "description_sv", "description_en"]


class ThemeAcceptForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=None, required=False, label=_("Chosen at meeting"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from meetings.models import Meeting  # projects builds on meetings (a layer below)

        self.fields["meeting"].queryset = Meeting.objects.all()


class ProjectForm(forms.ModelForm):
    institutions = PkMultipleChoiceField(
        queryset=Institution.objects.none(),
        required=False,
        label=_("Participating institutions"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        fields = [
            "theme",
            "title",
            "summary",
            "goals",
            "lead_institution",
            "institutions",
            "starts_on",
            "ends_on",
            "status",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.active()
        self.fields["lead_institution"].queryset = Institution.objects.current_members()
        self.fields["institutions"].queryset = Institution.objects.current_members()

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The end must be after the start."))
        return cleaned

    def _post_clean(self):
        # The model's constraints are checked by the service and the database; the form's own
        # clean() gives the friendly message above.
        pass


class ParticipantForm(forms.Form):
    member = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("Member"))
    is_coordinator = forms.BooleanField(required=False, label=_("Coordinator"))

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Member.objects.active().select_related("user", "institution").order_by("user__last_name")
        if project is not None:
            queryset = queryset.exclude(project_participations__project=project)
        self.fields["member"].queryset = queryset
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} ({m.institution.display_short})"


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ExternalPartner.Kind.choices)


class LinkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Address"), assume_scheme="https")


class RoundForm(forms.ModelForm):
    class Meta:
        model = ReportingRound
        fields = ["title", "deadline", "meeting"]
        widgets = {"deadline": DateInput()}


class ReportForm(forms.ModelForm):
    """A report as written. With `submit`, what a submission needs besides (the progress, a reason
    unless on track) is checked too, but kept apart in `submission_errors`: a refused submission
    still saves the draft (ReportEditView), then shows them with `refuse_submission()`."""

    class Meta:
        model = Report
        fields = ["progress", "status", "status_reason", "learned", "next_steps", "outputs_since_last"]
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, submit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submit = submit
        self.submission_errors: dict[str, str] = {}
        if submit:
            self.fields["progress"].widget.attrs["required"] = True

    def clean(self):
        cleaned = super().clean()
        if not self.submit:
            return cleaned
        # What a submission needs is the service's rule; the form only says it on the fields.
        messages = {
            "progress": str(self.fields["progress"].error_messages["required"]),
            "status_reason": _("Please give a reason when the project is at risk or delayed."),
        }
        missing = services.report_missing(
            progress=cleaned.get("progress"), status=cleaned.get("status"), status_reason=cleaned.get("status_reason")
        )
        self.submission_errors = {name: messages[name] for name in missing}
        return cleaned

    def refuse_submission(self) -> None:
        """Show why the submission was refused, on the fields concerned."""
        for name, message in self.submission_errors.items():
            if name not in self.errors:
                self.add_error(name, message)


class OutputForm(forms.ModelForm):
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https")

    class Meta:
        model = Output
        fields = ["type", "title", "authors", "year", "doi", "isbn", "url", "file", "spin_out"]

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        queryset = Project.objects.order_by("title")
        if project is not None:
            queryset = queryset.exclude(pk=project.pk)
        self.fields["spin_out"].queryset = queryset

    def clean_doi(self):
        return normalise_doi(self.cleaned_data["doi"])

    def clean_isbn(self):
        return normalise_isbn(self.cleaned_data["isbn"])

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and not 1900 <= year <= 2100:
            raise forms.ValidationError(_("Please give a year between 1900 and 2100."))
        return year

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and hasattr(file, "content_type"):  # a new upload, not the stored file
            validate_upload(file)
        return file

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("spin_out") and cleaned.get("type") != Output.Type.SPIN_OUT:
            self.add_error("spin_out", _("Only a spin-out output can point to a new project."))
        return cleaned
