"""Form widgets of our own."""

import functools

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.widgets import BooleanWidget


class FastSelect(forms.Select):
    """A `<select>` rendered in Python: the same HTML as Django's template widget, but without a
    template per option. Django's renders one sub-template per <option>, which took ~40 ms for the
    350 institutions of a large network (bench/run.py); this takes well under 1 ms."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = _options_html(tuple(self._flat_choices()))
        for selected in self.format_value(value):
            needle = f'<option value="{escape(selected)}">'
            options = options.replace(needle, needle[:-1] + " selected>", 1)
        return mark_safe(format_html('<select name="{}"{}>', name, flatatt(final_attrs)) + options + "</select>")

    def _flat_choices(self):
        for group, options in self._groups():
            yield group, tuple((("" if v is None else str(v)), str(label)) for v, label in options)

    def _groups(self):
        flat = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                if flat:
                    yield None, flat
                    flat = []
                yield option_value, label
            else:
                flat.append((option_value, label))
        if flat:
            yield None, flat


@functools.lru_cache(maxsize=64)
def _options_html(groups: tuple) -> str:
    """The <option>s of a list of choices, kept per process: the same lists come back on every page."""
    parts = []
    for group, options in groups:
        if group is not None:
            parts.append(f'<optgroup label="{escape(group)}">')
        parts.extend(f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in options)
        if group is not None:
            parts.append("</optgroup>")
    return "".join(parts)


class YesNoAnyWidget(BooleanWidget):
    """A yes/no filter whose empty choice means "any" ("Alla"), not django-filter's "Unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", pgettext_lazy("filter: no choice made", "Any")), ("true", _("Yes")), ("false", _("No"))]
