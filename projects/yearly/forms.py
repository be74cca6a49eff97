"""The yearly report's form: a year with something to report, and a language."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .services import report_years


class YearlyReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    language = forms.ChoiceField(
        label=_("Language of the report"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in report_years()]
