from django import forms
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from network.forms import PkMultipleChoiceField
from network.models import Institution, Member

from .models import Action, Decision, Meeting, MeetingDocument, Theme
from .uploads import ALLOWED_EXTENSIONS, validate_document


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ScheduleForm(forms.ModelForm):
    """Date (Europe/Stockholm), place and registration of a meeting, set by the host."""

    video_link = forms.URLField(
        label=_("Video-call link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("For an online or hybrid meeting: shown on the page, in the emails and the calendar."),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "format",
            "venue",
            "address",
            "video_link",
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
            "venue": _("Not needed for an online meeting."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].required = True
        self.fields["format"].required = False  # left out: in person

    def clean(self):
        data = super().clean()
        starts_at, ends_at, deadline = data.get("starts_at"), data.get("ends_at"), data.get("registration_deadline")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if starts_at and deadline and deadline > starts_at:
            self.add_error("registration_deadline", _("The registration deadline must be before the meeting starts."))
        format_ = data.get("format") or Meeting.Format.IN_PERSON
        data["format"] = format_
        if format_ != Meeting.Format.ONLINE and not data.get("venue"):
            self.add_error("venue", _("Give the venue of a meeting held in person."))
        if format_ in (Meeting.Format.ONLINE, Meeting.Format.HYBRID) and not data.get("video_link"):
            self.add_error("video_link", _("Give the video-call link of an online or hybrid meeting."))
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


# --- Decisions and actions ----------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DecisionForm(forms.Form):
    text_sv = forms.CharField(label=_("Decision (Swedish)"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    text_en = forms.CharField(label=_("Decision (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    theme = forms.ModelChoiceField(label=_("Theme (optional)"), queryset=Theme.objects.accepted(), required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("text_sv", "").strip() or data.get("text_en", "").strip()):
            raise forms.ValidationError(_("Write the decision in Swedish, English or both."))
        return data


class ActionForm(forms.Form):
    text = forms.CharField(label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 3}))
    owner_member = forms.ModelChoiceField(label=_("Owner: a member"), queryset=Member.objects.none(), required=False)
    owner_institution = forms.ModelChoiceField(
        label=_("… or an institution"), queryset=Institution.objects.none(), required=False
    )
    due_meeting = forms.ModelChoiceField(label=_("Due by the meeting"), queryset=Meeting.objects.none(), required=False)
    due_on = forms.DateField(label=_("… or by the date"), required=False, widget=DateInput())
    decision = forms.ModelChoiceField(
        label=_("Follows from the decision (optional)"), queryset=Decision.objects.none(), required=False
    )
    theme = forms.ModelChoiceField(label=_("Theme (optional)"), queryset=Theme.objects.accepted(), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = (
            Member.objects.active()
            .select_related("user", "institution")
            .order_by("user__last_name", "user__first_name")
        )
        self.fields["owner_member"].label_from_instance = lambda m: f"{m.full_name} ({m.institution.display_short})"
        self.fields["owner_institution"].queryset = Institution.objects.current_members()
        later = Q(year__gt=meeting.year)
        if meeting.season == Meeting.Season.SPRING:
            later |= Q(year=meeting.year, season=Meeting.Season.AUTUMN)
        if meeting.starts_at:
            # Dated meetings by their dates (two kinds of meeting may share a slot); undated by slot.
            later = Q(starts_at__gt=meeting.starts_at) | (Q(starts_at__isnull=True) & later)
        due = Meeting.objects.filter(later).exclude(status=Meeting.Status.CANCELLED)
        if not meeting.is_restricted:
            # Every member sees this meeting's actions (the register, its agenda's follow-up), and
            # with them the meeting each is due by: never a steering-group meeting.
            due = due.open_to_all_members()
        self.fields["due_meeting"].queryset = due
        self.fields["decision"].queryset = meeting.decisions.all()

    def clean(self):
        data = super().clean()
        if bool(data.get("owner_member")) == bool(data.get("owner_institution")):
            raise forms.ValidationError(_("Choose one owner: a member or an institution."))
        if not (data.get("due_meeting") or data.get("due_on")):
            raise forms.ValidationError(_("Give the meeting or the date the action is due by."))
        return data


class AttendanceMarkForm(forms.Form):
    present = PkMultipleChoiceField(
        label=_("Who was there"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = PkMultipleChoiceField(
        label=_("Also there, without having registered"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        answered = meeting.attendances.values("member")
        label = lambda m: f"{m.full_name} ({m.institution.display_short if m.institution else '—'})"  # noqa: E731
        self.fields["present"].queryset = (
            Member.objects.filter(pk__in=answered)
            .select_related("user", "institution")
            .order_by("institution__name", "user__last_name", "user__first_name")
        )
        self.fields["present"].label_from_instance = label
        self.fields["others"].queryset = (
            Member.objects.active()
            .exclude(pk__in=answered)
            .select_related("user", "institution")
            .order_by("institution__name", "user__last_name", "user__first_name")
        )
        self.fields["others"].label_from_instance = label


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices, widget=forms.RadioSelect)
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=300,
        required=False,
        help_text=_("A sentence on what came of it; needed when the action is dropped."),
    )


# --- The secretariat's planner (admin) ---------------------------------------------------------


class PlanForm(forms.Form):
    slots = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=200, initial=8)


class OverrideForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.network().filter(status__in=[Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED]),
    )
    host = forms.ModelChoiceField(label=_("New host"), queryset=Institution.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Institution.objects.current_members()  # today's members, not import day's


class SwapForm(forms.Form):
    first = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.network().filter(status__in=[Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED]),
    )
    second = forms.ModelChoiceField(
        label=_("swap its host with"),
        queryset=Meeting.objects.network().filter(status__in=[Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED]),
    )
