"""Validation of the minutes' forms (the services decide the rest)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.forms import DateTimeInput
from meetings.models import Minutes, MinutesItem


class MinutesEditForm(forms.Form):
    """The opening and a text per item of the agenda, written in one go (one version per save)."""

    introduction = forms.CharField(
        label=_("Opening"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who was there, who chaired the meeting, who kept the minutes."),
    )

    def __init__(self, *args, items: list[MinutesItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for number, item in enumerate(items, start=1):
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=f"§ {number}. {item.title}",
                required=False,
                max_length=50_000,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def texts(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}


class CirculateForm(forms.Form):
    comment_deadline = forms.DateTimeField(
        label=_("Comments until"),
        widget=DateTimeInput(),
        help_text=_("Swedish time (Europe/Stockholm). The participants are emailed and may comment until then."),
    )

    def clean_comment_deadline(self):
        deadline = self.cleaned_data["comment_deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline for comments must be in the future."))
        return deadline

    @staticmethod
    def default_deadline() -> datetime.datetime:
        day = timezone.localdate() + datetime.timedelta(days=14)
        return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 17, 0))


class CommentForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("On the item"),
        queryset=MinutesItem.objects.none(),
        required=False,
        empty_label=_("The minutes as a whole"),
    )
    text = forms.CharField(label=_("Your comment"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, minutes: Minutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = minutes.items.order_by("position", "pk")
        self.fields["item"].label_from_instance = lambda item: item.title
