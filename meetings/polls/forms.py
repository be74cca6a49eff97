"""The forms of date polls: validation only (the services decide and write)."""

import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..forms import DateTimeInput, ScheduleForm
from ..models import Meeting
from .models import DatePollAnswer, DatePollSlot
from .services import MAX_SLOTS, MIN_SLOTS

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
SLOT_ROWS = 5  # rows offered on the form; a sixth and more are proposed in a second poll or the admin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DatePollForm(forms.Form):
    """The proposed times, each a day with a start and an end (Swedish time), and the last day to answer.

    The template groups each time's fields in a fieldset of its own (`slot_rows`)."""

    answers_until = forms.DateTimeField(
        label=_("Last day to answer"),
        widget=DateTimeInput(),
        help_text=_("Swedish time (Europe/Stockholm). Those who have not answered are reminded before it."),
    )
    note = forms.CharField(
        label=_("Note to the invited (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, SLOT_ROWS + 1):
            self.fields[f"slot{n}_day"] = forms.DateField(label=_("Day"), required=False, widget=DateInput())
            self.fields[f"slot{n}_start"] = forms.TimeField(label=_("From"), required=False, widget=TimeInput())
            self.fields[f"slot{n}_end"] = forms.TimeField(label=_("To"), required=False, widget=TimeInput())
            self.fields[f"slot{n}_end_day"] = forms.DateField(
                label=_("Ends on another day"), required=False, widget=DateInput()
            )

    def slot_rows(self) -> list[tuple[int, list]]:
        return [
            (n, [self[f"slot{n}_{part}"] for part in ("day", "start", "end", "end_day")])
            for n in range(1, SLOT_ROWS + 1)
        ]

    def other_fields(self) -> list:
        return [self["answers_until"], self["note"]]

    def clean(self):
        data = super().clean()
        slots = []
        for n in range(1, SLOT_ROWS + 1):
            day, start, end = (data.get(f"slot{n}_{part}") for part in ("day", "start", "end"))
            end_day = data.get(f"slot{n}_end_day") or day
            if not (day or start or end):
                continue
            missing = [name for name, value in (("day", day), ("start", start), ("end", end)) if not value]
            for part in missing:
                self.add_error(f"slot{n}_{part}", _("Give the day and the times of this proposal."))
            if missing:
                continue
            # Stockholm's wall clock (summer or winter time as on that day), stored aware.
            starts_at = datetime.datetime.combine(day, start, tzinfo=STOCKHOLM)
            ends_at = datetime.datetime.combine(end_day, end, tzinfo=STOCKHOLM)
            if ends_at <= starts_at:
                self.add_error(f"slot{n}_end", _("A proposed time must end after it starts."))
            elif starts_at <= timezone.now():
                self.add_error(f"slot{n}_day", _("A proposed time must be in the future."))
            else:
                slots.append((starts_at, ends_at))
        if not self.errors and len(set(slots)) < MIN_SLOTS:
            self.add_error(None, _("Propose at least two different times."))
        if len(slots) > MAX_SLOTS:
            self.add_error(None, _("Propose at most %(count)s times.") % {"count": MAX_SLOTS})
        first = min((s for s, _e in slots), default=None)
        deadline = data.get("answers_until")
        if deadline and deadline <= timezone.now():
            self.add_error("answers_until", _("The last day to answer must be in the future."))
        elif deadline and first and deadline > first:
            self.add_error("answers_until", _("The last day to answer must be before the first proposed time."))
        data["slots"] = slots
        return data


class AnswerForm(forms.Form):
    """Yes / if need be / no for every proposed time: one group of radio buttons per time, each in a
    fieldset whose legend is the time (the template), so a screen reader says which time is asked."""

    def __init__(self, *args, slots: list[DatePollSlot] = (), initial_answers: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        for slot in slots:
            self.fields[f"slot_{slot.pk}"] = forms.ChoiceField(
                label=str(slot),
                choices=DatePollAnswer.Choice.choices,
                widget=forms.RadioSelect,
                initial=(initial_answers or {}).get(slot.pk),
                error_messages={"required": _("Answer yes, if need be or no for this time.")},
            )

    def slot_fields(self) -> list[tuple[DatePollSlot, forms.BoundField]]:
        return [(slot, self[f"slot_{slot.pk}"]) for slot in self.slots]

    def answers(self) -> dict[int, str]:
        return {slot.pk: self.cleaned_data[f"slot_{slot.pk}"] for slot in self.slots}


class CloseForm(forms.Form):
    """The chosen time, and where the meeting is held (as the scheduling form asks it)."""

    slot = forms.ChoiceField(label=_("Chosen time"), widget=forms.RadioSelect)
    format = forms.ChoiceField(label=_("Format"), choices=Meeting.Format.choices)
    venue = forms.CharField(
        label=_("Venue"), max_length=200, required=False, help_text=_("Not needed for an online meeting.")
    )
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    video_link = ScheduleForm.declared_fields["video_link"]  # the scheduling form's, as it is
    registration_deadline = forms.DateTimeField(
        label=_("Registration deadline"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Members can answer until then; it must be before the meeting."),
    )

    def __init__(self, *args, choices: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = choices

    def clean(self):
        data = super().clean()
        format_ = data.get("format") or Meeting.Format.IN_PERSON
        if format_ != Meeting.Format.ONLINE and not data.get("venue"):
            self.add_error("venue", _("Give the venue of a meeting held in person."))
        if format_ != Meeting.Format.IN_PERSON and not data.get("video_link"):
            self.add_error("video_link", _("Give the video-call link of an online or hybrid meeting."))
        return data
