from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from network.models import Institution, Member

from .models import Meeting, MeetingDocument
from .uploads import ALLOWED_EXTENSIONS, validate_document


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ScheduleForm(forms.ModelForm):
    """Date (Europe/Stockholm), place and registration of a meeting, set by the host."""

    class Meta:
        model = Meeting
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "venue",
            "address",
            "registration_deadline",
            "capacity",
            "practical_information",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_deadline": DateTimeInput(),
            "address": forms.Textarea(attrs={"rows": 3}),
            "practical_information": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "starts_at": _("Swedish time (Europe/Stockholm). A meeting may last several days."),
            "registration_deadline": _("Members can answer until then; it must be before the meeting."),
            "capacity": _("Leave empty for no limit. When full, members go on a waiting list."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "venue"):
            self.fields[name].required = True

    def clean(self):
        data = super().clean()
        starts_at, ends_at, deadline = data.get("starts_at"), data.get("ends_at"), data.get("registration_deadline")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if starts_at and deadline and deadline > starts_at:
            self.add_error("registration_deadline", _("The registration deadline must be before the meeting starts."))
        return data

    def validate_constraints(self, exclude=None):
        pass  # the clean() above says it in the user's words; the database keeps the constraint


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    presenter = forms.CharField(label=_("Presenter"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Starts"), required=False, widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DateTimeInput())
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    position = forms.IntegerField(
        label=_("Position"), min_value=0, required=False, help_text=_("Leave empty to add it at the end.")
    )


class HostingForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"
    decision = forms.ChoiceField(
        label=_("Will your institution host this meeting?"),
        choices=[(ACCEPT, _("Yes, we host it")), (DECLINE, _("No, we cannot host it"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AttendanceForm(forms.Form):
    attending = forms.TypedChoiceField(
        label=_("Will you attend?"),
        choices=[("yes", _("Yes, I will attend")), ("no", _("No, I cannot attend"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    dietary_needs = forms.CharField(label=_("Dietary needs"), max_length=300, required=False)
    remarks = forms.CharField(label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StandInForm(forms.Form):
    stand_in = forms.ModelChoiceField(label=_("Colleague who comes instead of you"), queryset=Member.objects.none())

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stand_in"].queryset = (
            Member.objects.active()
            .filter(institution_id=member.institution_id)
            .exclude(pk=member.pk)
            .select_related("user")
        )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingDocument.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        validators=[validate_document],
        # Formatted lazily: `_() % {...}` at import would fix the text in the language active then.
        help_text=lazy(lambda: _("Allowed: %(types)s.") % {"types": ", ".join(ALLOWED_EXTENSIONS)}, str)(),
    )
    publish_minutes = forms.BooleanField(
        label=_("Publish these minutes now (the meeting is then marked “minutes published”)"), required=False
    )


# --- The secretariat's planner (admin) ---------------------------------------------------------


class PlanForm(forms.Form):
    slots = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=200, initial=8)


class OverrideForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.filter(status__in=[Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED]),
    )
    host = forms.ModelChoiceField(label=_("New host"), queryset=Institution.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Institution.objects.current_members()  # today's members, not import day's


class SwapForm(forms.Form):
    first = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.filter(status__in=[Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED]),
    )
    second = forms.ModelChoiceField(
        label=_("swap its host with"),
        queryset=Meeting.objects.filter(status__in=[Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED]),
    )
